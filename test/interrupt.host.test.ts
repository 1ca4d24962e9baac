import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';
import { cwdOf, pidsWithEnv, waitFor } from './procs.js';

const dir = mkdtempSync(join(tmpdir(), 'uringspec-sigint-'));
const scratch = join(dir, 'tmp');
const cases = join(dir, 'cases');
mkdirSync(scratch);
mkdirSync(cases);
const started: ChildProcess[] = [];
const running = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;
afterAll(async () => {
  // a failed test must not leave its run going: SIGTERM lets it clean up after itself
  for (const c of started) if (running(c)) c.kill('SIGTERM');
  await waitFor(() => !started.some(running), 10_000);
  rmSync(dir, { recursive: true, force: true });
});

const nop = 'description: a NOP\nrules: [nop.issue.success]\nprovenance: { kind: hand-written }\nring: { entries: 8 }\nsqes:\n  - op: NOP\n';
const slow = (sec: number) => `description: a ${sec} s TIMEOUT\nrules: [timeout.issue.expires]\nprovenance: { kind: hand-written }\nring: { entries: 8 }\nsqes:\n  - { op: TIMEOUT, fields: { addr: { timespec: { sec: ${sec}, nsec: 0 } }, len: 1 } }\n`;
writeFileSync(join(cases, 'a-fast.yaml'), nop);
writeFileSync(join(cases, 'b-slow.yaml'), slow(60));
writeFileSync(join(cases, 'c-slow.yaml'), slow(60));

/** Starts `uringspec run` with its own TMPDIR and a variable that marks every process of the run. */
function startRun(signal: NodeJS.Signals) {
  const mark = `${process.pid}-${signal}`;
  const marker = `URINGSPEC_TEST_RUN=${mark}`;
  const child = spawn('node', [`${ROOT}bin/uringspec.js`, 'run', cases, '--timeout', '120', '--json', join(dir, `${signal}.json`)], {
    cwd: ROOT, env: { ...process.env, TMPDIR: scratch, URINGSPEC_TEST_RUN: mark }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  return { child, marker, exited, out: () => stdout, err: () => stderr };
}

describe.each(['SIGINT', 'SIGTERM'] as const)('%s during a host run', (signal) => {
  it('ends the running case, keeps the KTAP of what finished, leaves nothing behind and exits 130', async () => {
    const run = startRun(signal);
    // the fast case has ended and the first slow one runs (execCase starts it in the run's scratch dir)
    const caseRunning = () => pidsWithEnv(run.marker).some((p) => cwdOf(p)?.startsWith(join(scratch, 'uringspec-run-')));
    const running = await waitFor(() => run.out().includes('ok 1 a-fast') && caseRunning(), 90_000);
    expect(running, run.err()).toBe(true);
    expect(readdirSync(scratch).some((n) => n.startsWith('uringspec-run-'))).toBe(true);
    run.child.kill(signal);
    const code = await run.exited;

    expect(code).toBe(130);
    const lines = run.out().trim().split('\n');
    expect(lines.slice(0, 3)).toEqual(['KTAP version 1', expect.stringMatching(/^# uringspec host/), '1..3']);
    expect(lines).toContain('ok 1 a-fast');
    expect(run.out()).not.toMatch(/b-slow|c-slow/);
    expect(lines.at(-2)).toBe('# interrupted: 1 of 3 cases finished');
    expect(lines.at(-1)).toBe('1 passed, 0 failed, 0 skipped');
    expect(run.err()).not.toMatch(/at .*\.ts:\d+/);

    expect(await waitFor(() => pidsWithEnv(run.marker).length === 0, 5000)).toBe(true);
    expect(readdirSync(scratch).filter((n) => n.startsWith('uringspec-'))).toEqual([]);
    const json = JSON.parse(readFileSync(join(dir, `${signal}.json`), 'utf8'));
    expect(json).toMatchObject({ interrupted: true, total: 3, verdicts: [{ id: 'a-fast', kind: 'pass' }] });
    expect(existsSync(join(dir, `${signal}.json`))).toBe(true);
  });
});
