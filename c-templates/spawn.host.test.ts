import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case, Expectation, Fixture, HelperReport, SpawnExpect, SubmitterExpect } from '../spec/types.js';
import { renderCase } from './renderCase.js';
import { formOf, type FormOptions as RenderOptions } from './testing/formOf.js';
import { buildC, runC } from './testing/buildC.js';
import { hostProfile } from './testing/hostProfile.js';
import { ringSpec } from './testing/ringSpec.js';

/*
 * The host kernel has no IORING_OP_CLONE, so these tests stand in for it: they splice fork()s
 * into the rendered program just before its submit, each child doing what a spawn chain would
 * (close fds, exec the helper, or die of SIGKILL). Everything else is the rendered program as
 * it runs on the RFC kernel: fixtures, the report pipe on fd 200, reaping with __WALL, reading
 * and parsing the helper's reports, and the checks, with their mismatch lines.
 */

type Sample = Case & { expect: Expectation };
type RunResult = ReturnType<typeof runC>['result'] & {
  spawn?: { tasks: { exit: number | null; signal: number | null }[]; reports: { argv: string[]; envp: string[]; cwd: string; fds: Record<string, string> }[]; sigchld?: boolean };
};

const root = mkdtempSync(join(tmpdir(), 'uringspec-spawn-'));
const helper = join(root, 'helper');
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(() => {
  const src = fileURLToPath(new URL('./helper/helper.c', import.meta.url));
  execFileSync('gcc', ['-static', '-O2', '-Wall', '-Wextra', '-Werror', '-o', helper, src], { stdio: 'pipe' });
});

const fixtures: Record<string, Fixture> = {
  p0: { kind: 'pipe', bytes: 3 },
  f0: { kind: 'file', size: 1 },
  top: { kind: 'dir', self: true },
  h: { kind: 'exec-helper', exit: 3 },
};

const nopCase = (spawn: SpawnExpect, more: Record<string, Fixture> = {}): Sample => ({
  description: 'a NOP, with tasks forked at its submit standing in for CLONEs',
  rules: [],
  provenance: { kind: 'hand-written' },
  ring: { entries: 4 },
  fixtures: { ...fixtures, ...more },
  sqes: [{ op: 'NOP' }],
  expect: { submitted: [1], cqes: [{ user_data: 1, res: { eq: 0 }, because: [] }], order: [], spawn },
});

/** C for one child: what a CLONE's chain does in its task. */
const child = (body: string) => `\tif (fork() == 0) {\n${body}\n\t\t_exit(127);\n\t}\n`;
const execHelper = (argv: string[], before = '') =>
  child(`${before}\t\tstatic char *const argv[] = { ${[...argv.map((a) => JSON.stringify(a)), 'NULL'].join(', ')} }, *const envp[] = { "A=1", NULL };\n\t\tfexecve(fixtures[FX_H].fd, argv, envp);`);
const killed = child('\t\traise(SIGKILL);');

function run(c: Sample, children: string[], more: Partial<RenderOptions> & { preamble?: (src: string) => string } = {}) {
  const render = (x: string) => (more.preamble ? more.preamble(x) : x);
  const src = render(renderCase(formOf(c, { name: 'host/spawn', profile: hostProfile, rules: [], reapTimeoutMs: 1000, ...more }), { ring: ringSpec, profile: more.profile ?? hostProfile }));
  // the children fork where the chain's SQEs are filled, before main submits them
  const at = src.indexOf('\n}\n', src.indexOf('static void test_chain(')) + 1;
  expect(at).toBeGreaterThan(0);
  const bin = buildC(`${src.slice(0, at)}${children.join('')}${src.slice(at)}`, root);
  const tmp = mkdtempSync(join(root, 'tmp-'));
  const out = runC(bin, { ...process.env, TMPDIR: tmp, URINGSPEC_HELPER: helper });
  expect(readdirSync(tmp), 'temp dir left behind').toEqual([]);
  return { ...out, result: out.result as RunResult, tmp: realpathSync(tmp), src };
}

const report: HelperReport = { argv: ['h', 'x'], envp: ['A=1'], cwd: '.', fds_open: ['p0.r', 'f0', 'top', 'h'], fds_closed: ['p0.w'] };

describe('spawned tasks, with fork() standing in for CLONE', { timeout: 60_000 }, () => {
  it('passes an exec that reports what it inherited, and a killed task', () => {
    const r = run(nopCase({ tasks: [{ head: 1, outcome: 'exec', exit: 3, report }, { head: 1, outcome: 'killed' }] }), [
      execHelper(['h', 'x'], '\t\tclose(fixtures[FX_P0].wfd);\n'),
      killed,
    ]);
    expect(r.result.mismatches).toEqual([]);
    expect(r.result.verdict).toBe('pass');
    const spawn = r.result.spawn!;
    expect(spawn.tasks).toHaveLength(2);
    expect(spawn.tasks).toEqual(expect.arrayContaining([{ exit: 3, signal: null, reaped: 'plain' }, { exit: null, signal: 9, reaped: 'plain' }]));
    expect(spawn.reports).toHaveLength(1);
    const rep = spawn.reports[0]!;
    expect(rep.argv).toEqual(['h', 'x']);
    expect(rep.envp).toEqual(['A=1']);
    expect(rep.cwd.startsWith(`${r.tmp}/uringspec-`)).toBe(true);
    // past stdio, the fixtures in order: p0.r, f0, top, h (p0.w was closed, the ring fd is O_CLOEXEC);
    // neither the report pipe's write end (fd 200) nor its O_CLOEXEC read end (fds the test
    // runner itself leaks, 251 under some shells, come after them)
    const own = Object.keys(rep.fds).map(Number).filter((fd) => fd > 2 && fd < 250);
    expect(own).toHaveLength(4);
    const [p0r, f0, top, h] = own;
    expect(rep.fds[p0r!]).toMatch(/^pipe:\[\d+\]$/);
    expect([rep.fds[f0!], rep.fds[top!], rep.fds[h!]]).toEqual([`${rep.cwd}/f0`, rep.cwd, `${rep.cwd}/h`]);
  });

  it('takes a closed fixture fd that a later open in the task reused for another file as closed, not one still naming the fixture', () => {
    // found by uringspec fuzz --target qemu --seed 12 (path 290): CLOSE(p.r) then OPENAT(O_PATH) in the task got the same number
    const reuse = '\t\tint w = fixtures[FX_P0].wfd;\n\t\tclose(w);\n\t\tif (open(fixtures[FX_F0].path, O_PATH) != w)\n\t\t\t_exit(126);\n';
    const ok = run(nopCase({ tasks: [{ head: 1, outcome: 'exec', exit: 3, report }] }), [execHelper(['h', 'x'], reuse)]);
    expect(ok.result.mismatches).toEqual([]);
    expect(ok.result.verdict).toBe('pass');
    // planted: the task keeps p0.w under its number (it only opened f0 elsewhere), so the fixture is not closed
    const kept = '\t\tif (open(fixtures[FX_F0].path, O_PATH) < 0)\n\t\t\t_exit(126);\n';
    const bad = run(nopCase({ tasks: [{ head: 1, outcome: 'exec', exit: 3, report: { ...report, fds_open: ['p0.r', 'f0', 'top', 'h'] } }] }), [execHelper(['h', 'x'], kept)]);
    expect(bad.result.mismatches.map((l) => l.replace(/\(\d+\)/g, '(N)'))).toEqual(['spawned task of user_data 1: fd p0.w (N) is open in the helper, expected closed']);
  });

  it('prints one line per mismatch of how tasks end and of what the helper reports', () => {
    const wrong: HelperReport = { argv: ['h'], envp: [], cwd: '/nowhere', fds_open: ['p0.w'], fds_closed: ['f0'] };
    const r = run(nopCase({ tasks: [{ head: 1, outcome: 'exec', exit: 4, report: wrong }, { head: 2, outcome: 'killed' }] }), [
      execHelper(['h', 'x'], '\t\tclose(fixtures[FX_P0].wfd);\n'),
      killed,
    ]);
    expect(r.code).toBe(1);
    const m = r.result.mismatches.map((l) => l.replace(/\(\d+\)/g, '(N)').replace(r.tmp, 'TMP'));
    expect(m).toEqual([
      'spawned task of user_data 1: expected exit 4, got exit 3',
      'spawned task of user_data 1: helper argv: expected ["h"], got ["h", "x"]',
      'spawned task of user_data 1: helper envp: expected [], got ["A=1"]',
      expect.stringMatching(/^spawned task of user_data 1: helper cwd: expected \/nowhere, got TMP\/uringspec-\w+$/),
      'spawned task of user_data 1: fd p0.w (N) is closed in the helper, expected open',
      'spawned task of user_data 1: fd f0 (N) is open in the helper, expected closed',
    ]);
    expect(r.stdout).toContain('# spawned task of user_data 1: expected exit 4, got exit 3\n');
  });

  it('catches a task that never ends, one that should not be, and a report nobody asked for', () => {
    const r = run(nopCase({ tasks: [{ head: 1, outcome: 'killed' }, { head: 2, outcome: 'killed' }, { head: 3, outcome: 'none' }] }), [
      execHelper(['h']),
      killed,
    ], { reapTimeoutMs: 300 });
    expect(r.result.mismatches).toEqual([
      'spawned task of user_data 2: expected signal 9, got exit 3',
      'unexpected report from the exec helper, argv[0] "h"',
    ]);
    const r2 = run(nopCase({ tasks: [{ head: 1, outcome: 'exec', exit: 3, report }, { head: 2, outcome: 'killed' }] }), [], { reapTimeoutMs: 300 });
    expect(r2.result.mismatches).toEqual([
      'spawned task of user_data 1: expected exit 3, got no task ended within 300 ms',
      'spawned task of user_data 2: expected signal 9, got no task ended within 300 ms',
      'spawned task of user_data 1: no report from the exec helper',
    ]);
    const r3 = run(nopCase({ tasks: [] }), [killed]);
    expect(r3.result.mismatches).toEqual(['unexpected spawned task: signal 9']);
  });

  it('pairs reports with tasks whatever order they come in', () => {
    const a = { ...report, argv: ['h', 'a'], fds_closed: [] };
    const b = { ...report, argv: ['h', 'b'], fds_closed: [] };
    // the task expected first execs last
    const r = run(nopCase({ tasks: [{ head: 1, outcome: 'exec', exit: 3, report: a }, { head: 3, outcome: 'exec', exit: 3, report: b }] }), [
      execHelper(['h', 'a'], '\t\tusleep(200000);\n'),
      execHelper(['h', 'b']),
    ]);
    expect(r.result.mismatches).toEqual([]);
    expect(r.result.spawn!.reports.map((x) => x.argv[1])).toEqual(['b', 'a']);
    // tasks that expect the same take the reports in arrival order
    const same = run(nopCase({ tasks: [1, 3, 5].map((head) => ({ head, outcome: 'exec' as const, exit: 3, report: a })) }), [
      execHelper(['h', 'a']), execHelper(['h', 'a']), execHelper(['h', 'a']),
    ]);
    expect(same.result.mismatches).toEqual([]);
    expect(same.result.spawn!.reports).toHaveLength(3);
  });

  it('creates every exec fixture so that execve fails, or runs the helper, as the kind says', () => {
    const more: Record<string, Fixture> = {
      h: { kind: 'exec-helper', exit: 5 },
      m: { kind: 'exec-missing' },
      n: { kind: 'exec-noexec' },
      g: { kind: 'exec-garbage' },
      s: { kind: 'exec-script', interpreter: 'helper', exit: 5 } as Fixture,
      s2: { kind: 'exec-script', interpreter: 'missing' },
      t: { kind: 'exec-notdir' },
    };
    // each child execs one fixture's path and exits with the errno when that fails
    const exec = (name: string) => child(`\t\tstatic char *const argv[] = { "${name}", NULL }, *const envp[] = { NULL };\n\t\texecve(fixtures[FX_${name.toUpperCase()}].path, argv, envp);\n\t\t_exit(errno);`);
    const viaTop = child('\t\tstatic char *const argv[] = { "h", NULL }, *const envp[] = { NULL };\n\t\texecveat(fixtures[FX_TOP].fd, "h", argv, envp, 0);\n\t\t_exit(errno);');
    const errno = { ENOENT: 2, EACCES: 13, ENOEXEC: 8, ENOTDIR: 20 };
    const helperRun: HelperReport = { argv: ['h'], envp: [], cwd: '.', fds_open: ['h', 'top', 'p0.r', 'p0.w', 'f0'] };
    const tasks: SpawnExpect['tasks'] = [
      { head: 1, outcome: 'exec', exit: 5, report: helperRun },
      { head: 2, outcome: 'exec', exit: 5, report: helperRun },
      // binfmt_script runs the interpreter with the script's path after it
      { head: 3, outcome: 'exec', exit: 5, report: { cwd: '.', envp: [] } },
      { head: 4, outcome: 'exec', exit: errno.ENOENT },
      { head: 5, outcome: 'exec', exit: errno.EACCES },
      { head: 6, outcome: 'exec', exit: errno.ENOEXEC },
      { head: 7, outcome: 'exec', exit: errno.ENOENT },
      { head: 8, outcome: 'exec', exit: errno.ENOTDIR },
    ];
    const r = run(nopCase({ tasks }, more), [exec('h'), viaTop, exec('s'), exec('m'), exec('n'), exec('g'), exec('s2'), exec('t')]);
    expect(r.result.mismatches).toEqual([]);
    expect(r.result.verdict).toBe('pass');
    const script = r.result.spawn!.reports.find((x) => x.argv[1] === 's')!;
    expect(script.argv).toEqual([`${script.cwd}/s.interp`, 's']);
  });

  it('reaps nothing and passes when the expectation has no tasks', () => {
    const r = run(nopCase({ tasks: [] }), []);
    expect(r.result.verdict).toBe('pass');
    expect(r.result.spawn).toMatchObject({ tasks: [], reports: [], sigchld: false, children_left: false });
  });
});

/* what the exec'd program must be (spawn.exec.regular-task etc.), with the constants of spec/ring.yaml */
const PF = { IO_WORKER: 0x10, FORKNOEXEC: 0x40, USER_WORKER: 0x4000, KTHREAD: 0x200000 };
const regular: HelperReport = {
  ...report, ring_fd_closed: true, flags_clear: PF.KTHREAD | PF.IO_WORKER | PF.USER_WORKER | PF.FORKNOEXEC, flags_set: 0,
  exit_signal: 17, parent_is_submitter: true, umask_of_submitter: true, sigign_of_submitter: true, sigblk: { of_submitter: true },
};
const plain = { how: 'plain' as const, sigchld: true };
const wall = { how: 'wall' as const, sigchld: false };
/* a child with exit_signal 0, as CLONE creates: clone(2) with no flags, killed */
const killedClone = '\tif (syscall(SYS_clone, 0UL, NULL, NULL, NULL, NULL) == 0) {\n\t\tsyscall(SYS_kill, syscall(SYS_getpid), SIGKILL);\n\t\t_exit(127);\n\t}\n';
const withSyscall = (src: string) => src.replace('#include "liburing.h"', '#include <sys/syscall.h>\n#include "liburing.h"');

describe('the process state around a spawn, with fork() and clone() standing in for CLONE', { timeout: 60_000 }, () => {
  const execTask = { head: 1, outcome: 'exec' as const, exit: 3, report: regular, reap: plain };

  it('passes a program that is a regular ordinary child, and a task with exit_signal 0 reaped with __WALL only', () => {
    const r = run(nopCase({ tasks: [execTask, { head: 1, outcome: 'killed', reap: wall }] }), [
      execHelper(['h', 'x'], '\t\tclose(fixtures[FX_P0].wfd);\n'), killedClone,
    ], { preamble: withSyscall });
    expect(r.result.mismatches).toEqual([]);
    expect(r.result.spawn!.tasks).toEqual(expect.arrayContaining([{ exit: 3, signal: null, reaped: 'plain' }, { exit: null, signal: 9, reaped: 'wall' }]));
    expect(r.result.spawn!.sigchld).toBe(true);
  });

  it('names a task reaped the wrong way, and SIGCHLD that should not have come', () => {
    // fork(): an ordinary child, where a CLONE task must have exit_signal 0
    const r = run(nopCase({ tasks: [{ head: 1, outcome: 'killed', reap: wall }] }), [killed]);
    expect(r.result.mismatches).toEqual([
      'spawned task of user_data 1: expected signal 9 (only __WALL reaps it), got signal 9 (a plain waitpid reaps it)',
      'submitter: SIGCHLD came, expected none (exit_signal 0)',
    ]);
    const r2 = run(nopCase({ tasks: [{ ...execTask, reap: { how: 'wall', sigchld: false } }] }), [execHelper(['h', 'x'], '\t\tclose(fixtures[FX_P0].wfd);\n')]);
    expect(r2.result.mismatches).toEqual([
      'spawned task of user_data 1: expected exit 3 (only __WALL reaps it), got exit 3 (a plain waitpid reaps it)',
      'submitter: SIGCHLD came, expected none (exit_signal 0)',
    ]);
  });

  it("names every way the program's task state differs: flags, exit_signal, parent, umask, signals, the ring fd", () => {
    const wrong: HelperReport = { ...regular, flags_set: PF.IO_WORKER, exit_signal: 0 };
    const r = run(nopCase({ tasks: [{ ...execTask, report: wrong }] }), [
      execHelper(['h', 'x'], [
        '\t\tclose(fixtures[FX_P0].wfd);',
        '\t\tumask(077);',
        '\t\tsignal(SIGUSR1, SIG_IGN);',
        '\t\t{ sigset_t all; sigfillset(&all); sigprocmask(SIG_BLOCK, &all, NULL); }',
        '\t\tdup2(ring->ring_fd, 150);',
      ].join('\n') + '\n'),
    ]);
    expect(r.result.mismatches).toEqual([
      'spawned task of user_data 1: fd 150 of the helper is an io_uring, expected the ring fd closed',
      expect.stringMatching(/^spawned task of user_data 1: helper task flags 0x[0-9a-f]+: expected none of 0x204050 and all of 0x10$/),
      'spawned task of user_data 1: helper exit_signal 17, expected 0',
      expect.stringMatching(/^spawned task of user_data 1: helper umask 077, expected the submitter's 0[0-7]{2}$/),
      expect.stringMatching(/^spawned task of user_data 1: helper ignores signals [0-9a-f]*200, expected the submitter's [0-9a-f]+$/),
      expect.stringMatching(/^spawned task of user_data 1: helper blocks signals f+[0-9a-f]*, expected [0-9a-f]+ \(the submitter's\)$/),
    ]);
    // a grandchild execs: its parent is the task (or, once that has exited, a reaper), never the submitter
    const r2 = run(nopCase({ tasks: [execTask] }), [child('\t\tif (fork() == 0) {\n\t\t\tstatic char *const argv[] = { "h", "x", NULL }, *const envp[] = { "A=1", NULL };\n\t\t\tclose(fixtures[FX_P0].wfd);\n\t\t\tfexecve(fixtures[FX_H].fd, argv, envp);\n\t\t}\n\t\t_exit(3);')]);
    expect(r2.result.mismatches).toEqual([expect.stringMatching(/^spawned task of user_data 1: helper parent pid \d+, expected the submitter \(\d+\)$/)]);
  });

  it('checks the submitter after the chain: its fds, cwd, umask, buffers and children', () => {
    const buf: Sample = { ...nopCase({ tasks: [] }), sqes: [{ op: 'NOP', fields: { addr: { buf: 8 } } }] };
    const sub = (over: Partial<SubmitterExpect> = {}): Sample => ({
      ...buf, expect: { ...buf.expect, submitter: { fds_closed: [], fds_opened: [0, 0], fs_kept: true, buffers: [{ user_data: 1, slot: 'addr', bytes: [{ pattern: 0, len: 3 }] }], no_stray_children: true, ...over } },
    });
    const at = (code: string) => `\t${code}\n`;
    expect(run(sub(), [at('memcpy(buf1_addr, "abc", 3);')]).result.mismatches).toEqual([]);
    expect(run(sub(), []).result.mismatches).toEqual(['submitter: buffer of user_data 1, byte 0: expected 0x61, got 0x00']);
    expect(run(sub(), [at('memcpy(buf1_addr, "abcX", 4);')]).result.mismatches).toEqual(['submitter: buffer of user_data 1, byte 3: expected 0x00, got 0x58']);
    const none = { buffers: [] };
    expect(run(sub(none), [at('close(fixtures[FX_P0].wfd);')]).result.mismatches).toEqual([expect.stringMatching(/^submitter: fd \d+ was closed by the chain, expected it open$/)]);
    // the submitter's own CLOSE: expected closed, and it is
    expect(run(sub({ ...none, fds_closed: ['p0.w'] }), [at('close(fixtures[FX_P0].wfd);')]).result.mismatches).toEqual([]);
    expect(run(sub(none), [at('dup2(fixtures[FX_F0].fd, fixtures[FX_P0].wfd);')]).result.mismatches).toEqual([expect.stringMatching(/^submitter: fd \d+ names another file after the chain/)]);
    expect(run(sub(none), [at('open(".", O_RDONLY);')]).result.mismatches).toEqual([expect.stringMatching(/^submitter: 1 new fds after the chain \(fd \d+ first\), expected 0 to 0$/)]);
    expect(run(sub({ ...none, fds_opened: [1, 1] }), [at('open(".", O_RDONLY);')]).result.mismatches).toEqual([]);
    expect(run(sub(none), [at('if (chdir("..")) return;')]).result.mismatches).toEqual(['submitter: its cwd changed during the chain']);
    expect(run(sub(none), [at('umask(077);')]).result.mismatches).toEqual(['submitter: umask 077 after the chain, was 022']);
    // spawn.ring.usable-after: one more NOP on the ring after the chain
    const after = (res: number) => sub({ ...none, ring_after: { op: 'NOP', user_data: 2, res } });
    const ok = run(after(0), []);
    expect(ok.result.mismatches).toEqual([]);
    expect(ok.src).toContain('\tt_ring_after(&ring, IORING_OP_NOP, 2, REAP_TIMEOUT_MS);');
    expect(run(after(-5), []).result.mismatches).toEqual(['ring after the chain: the next request completed with 0, expected -5']);
    // an IOPOLL ring's enter does not sleep: the first waits give -ETIME at once, the CQE comes at a later one
    // (found by uringspec fuzz --target qemu, seeds 23, 30, 32: a drained SQE failed prep, the NOP went through io-wq)
    const etimeFirst = (src: string) => src.replace('static void t_ring_after(', [
      'static int t_etime_left = 3;',
      'static int t_wait_etime_first(struct io_uring *r, struct io_uring_cqe **c, struct __kernel_timespec *t)',
      '{',
      '\treturn t_etime_left-- > 0 ? -ETIME : io_uring_wait_cqe_timeout(r, c, t);',
      '}',
      '#define io_uring_wait_cqe_timeout t_wait_etime_first',
      'static void t_ring_after(',
    ].join('\n'));
    const late = run(after(0), [], { preamble: etimeFirst });
    expect(late.src).toContain('t_wait_etime_first');
    expect(late.result.mismatches).toEqual([]);
    // a ring the chain broke: its SQ ring unmapped, so the next request gets no SQE
    expect(run(after(0), [at('ring->sq.ring_entries = 0; *ring->sq.kring_entries = 0;')]).result.mismatches).toContain('ring after the chain: the next request got no SQE');
    // a child that is still alive when the chain is done (it ends by itself a second later)
    expect(run(sub(none), [at('if (fork() == 0) { sleep(1); _exit(0); }')]).result.mismatches).toEqual(['submitter: a child is still alive after the chain, beyond the tasks it expects']);
  });
});
