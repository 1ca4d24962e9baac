import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sliceRuntime } from './sliceRuntime.js';

/*
 * The exec helper (helper/helper.c) and the runtime's parser of its report
 * (runtime/helper-report.c), each against the other and against canned reports.
 */

const root = mkdtempSync(join(tmpdir(), 'uringspec-report-'));
const helper = join(root, 'helper');
const parser = join(root, 'parse');
afterAll(() => rmSync(root, { recursive: true, force: true }));

// a program that parses a report from stdin and prints {"nr", "errors", "spawn": {..}} with the runtime's own printer
const PARSER_MAIN = `
int main(void)
{
	unsigned i;

	t_spawn.len = fread(t_spawn.buf, 1, T_REPORT_BUF, stdin);
	t_spawn.buf[t_spawn.len] = '\\0';
	t_spawn.nr_reports = t_report_parse(t_spawn.buf, t_spawn.reports, T_MAX_REPORTS);
	printf("{\\"nr\\": %u, \\"errors\\": [", t_spawn.nr_reports);
	for (i = 0; i < t_spawn.nr_reports && i < T_MAX_REPORTS; i++) {
		printf("%s", i ? ", " : "");
		t_json_str(t_spawn.reports[i].error);
	}
	printf("]");
	t_spawn_json();
	printf("}\\n");
	return 0;
}
`;

beforeAll(() => {
  execFileSync('gcc', ['-static', '-O2', '-Wall', '-Wextra', '-Werror', '-o', helper, fileURLToPath(new URL('./helper/helper.c', import.meta.url))], { stdio: 'pipe' });
  const { code, includes } = sliceRuntime(['t_spawn']);
  const src = [
    '#define _GNU_SOURCE',
    ...includes.map((h) => `#include ${h}`),
    '#include "liburing.h"',
    '#define T_MAX_CQES 256',
    '#define T_MAX_SUBMITS 64',
    code,
    PARSER_MAIN,
  ].join('\n');
  writeFileSync(`${parser}.c`, src);
  execFileSync('gcc', ['-Wall', '-Wextra', '-Werror', '-Wno-unused-function', '-o', parser, `${parser}.c`], { stdio: 'pipe' });
});

interface Parsed {
  nr: number;
  errors: (string | null)[];
  spawn: { reports: { argv: string[]; envp: string[]; cwd: string | null; fds: Record<string, string> }[] };
}

const parse = (text: string): Parsed => JSON.parse(execFileSync(parser, { input: text, encoding: 'utf8' })) as Parsed;

/** Runs the helper in dir with a pipe on fd 200, as a spawned task would find it. */
function runHelper(dir: string, argv: string[], env: Record<string, string>, binary = helper) {
  const stdio: ('ignore' | 'pipe')[] = Array(201).fill('ignore');
  stdio[200] = 'pipe';
  const r = spawnSync(binary, argv.slice(1), { argv0: argv[0], cwd: dir, env, stdio });
  return { status: r.status, report: r.output[200]!.toString() };
}

describe('the exec helper and its report', { timeout: 60_000 }, () => {
  const argv = ['./h', 'a', '', 'two\nlines', 'back\\slash', 'tab\there', 'ümlaut', '\x7f'];
  const env = { X: '1', Y: 'y\nz' };

  it('writes one line per item, escaped, ends with "end", and exits with what <its own path>.exit says', () => {
    const dir = mkdtempSync(join(root, 'run-'));
    const { status, report } = runHelper(dir, argv, env);
    expect(status).toBe(0);
    // each copy of the helper reads the exit code beside itself: two copies, two codes
    for (const [name, code] of [['h9', 9], ['h4', 4]] as const) {
      copyFileSync(helper, join(dir, name));
      chmodSync(join(dir, name), 0o755);
      writeFileSync(join(dir, `${name}.exit`), `${code}\n`);
      expect(runHelper(dir, [`./${name}`], env, join(dir, name)).status).toBe(code);
    }
    const lines = report.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.slice(0, 10)).toEqual([
      'argv 0 ./h', 'argv 1 a', 'argv 2 ', 'argv 3 two\\nlines', 'argv 4 back\\\\slash', 'argv 5 tab\\x09here', 'argv 6 ümlaut', 'argv 7 \\x7f',
      'envp X=1', 'envp Y=y\\nz',
    ]);
    expect(lines[10]).toBe(`cwd ${dir}`);
    expect(lines.slice(11, -6).every((l) => /^fd \d+ \S*$/.test(l))).toBe(true);
    expect(lines.slice(11, -6).some((l) => l.startsWith('fd 200 '))).toBe(false);
    expect(lines.at(-6)).toMatch(/^id \d+ \d+ \d+ \d+$/);
    // fields 9 and 38 of /proc/self/stat: spawnSync's child has exit_signal SIGCHLD (17 on x86-64)
    expect(lines.at(-5)).toMatch(/^task \d+ 17$/);
    expect(lines.at(-4)).toMatch(/^umask [0-7]{4}$/);
    expect(lines.at(-3)).toMatch(/^sig [0-9a-f]{16} [0-9a-f]{16}$/);
    expect(lines.at(-2)).toBe('comm helper'); // the file's name, not argv[0]
    expect(lines.at(-1)).toBe('end');
    // without fd 200 it writes nothing, and exits 0 without an exit file beside it
    expect(spawnSync(helper, [], { cwd: root }).status).toBe(0);
  });

  it('is read back by the runtime parser exactly', () => {
    const dir = mkdtempSync(join(root, 'run-'));
    const { report } = runHelper(dir, argv, env);
    const p = parse(report);
    expect(p.nr).toBe(1);
    expect(p.errors).toEqual([null]);
    const r = p.spawn.reports[0]!;
    expect(r.argv).toEqual(argv);
    expect(r.envp).toEqual(['X=1', 'Y=y\nz']);
    expect(r.cwd).toBe(dir);
    expect(Object.keys(r.fds)).not.toContain('200');
  });

  it('splits reports at "end" and names what is wrong with a report', () => {
    const one = 'argv 0 h\nenvp A=1\ncwd /t\nfd 3 pipe:[1]\nfd 4 /t/f\\x20x\nid 0 0 1 1\ncomm h\nend\n';
    const p = parse(one + one.replace('argv 0 h', 'argv 0 h2') + 'argv 0 h3\ncwd /t\n');
    expect(p.nr).toBe(3);
    expect(p.errors).toEqual([null, null, 'cut short: no "end" line']);
    expect(p.spawn.reports.map((r) => r.argv)).toEqual([['h'], ['h2'], ['h3']]);
    expect(p.spawn.reports[0]).toEqual({ argv: ['h'], envp: ['A=1'], cwd: '/t', fds: { 3: 'pipe:[1]', 4: '/t/f x' }, ppid: 1, umask: -1 });
    expect(parse('argv 0 h\ncwd /t').errors).toEqual(['cut short: a line without its newline']);
    expect(parse('argv 1 h\nend\n').errors).toEqual(['a line the report format does not have']);
    expect(parse('what is this\nend\nargv 0 h\nend\n').errors).toEqual(['a line the report format does not have', null]);
    expect(parse('')).toEqual({ nr: 0, errors: [], spawn: { tasks: [], reports: [], sigchld: false, children_left: false, fds_before: 0, fds_after: 0 } });
  });

  it('reads the task, umask and sig lines, and refuses malformed ones', () => {
    const p = parse('argv 0 h\nid 0 0 7 5\ntask 4194320 17\numask 0027\nsig 0000000000010000 0000000000001000\nend\n');
    expect(p.errors).toEqual([null]);
    expect(p.spawn.reports[0]).toMatchObject({ ppid: 5, flags: 4194320, exit_signal: 17, umask: 0o27, sigblk: '10000', sigign: '1000' });
    for (const bad of ['task x 17', 'task 5', 'umask', 'sig 1', 'id 0 0 7']) {
      expect(parse(`argv 0 h\n${bad}\nend\n`).errors, bad).toEqual(['a line the report format does not have']);
    }
  });
});
