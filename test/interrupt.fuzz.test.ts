import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultCacheDir } from '../runner/kernel/cacheDir.js';
import { findKernel } from '../runner/qemu/findKernel.js';
import { ROOT } from './helpers.js';
import { pidsWithEnv, waitFor } from './procs.js';

/**
 * Ctrl-C during `uringspec fuzz`, on the host and in QEMU. The CLI runs with one rule planted wrong
 * (test/fixtures/plantedCli.ts: a NOP predicted to give 7), so that the campaign has found something
 * by the time the signal comes: it must stop, print each failure found so far with the seed and path
 * that replay it, exit 130, and leave no process (executor, its children, QEMU) and no temp dir.
 */

const dir = mkdtempSync(join(tmpdir(), 'uringspec-sigint-fuzz-'));
const started: ChildProcess[] = [];
const running = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;
afterAll(async () => {
  // a failed test must not leave its campaign (or QEMU) going: SIGTERM lets it clean up after itself
  for (const c of started) if (running(c)) c.kill('SIGTERM');
  await waitFor(() => !started.some(running), 10_000);
  rmSync(dir, { recursive: true, force: true });
});

/** Starts the planted CLI's fuzz with its own TMPDIR and a variable that marks every process of the run. */
function startFuzz(name: string, args: string[]) {
  const scratch = join(dir, name, 'tmp');
  const out = join(dir, name, 'found');
  mkdirSync(scratch, { recursive: true });
  const marker = `URINGSPEC_TEST_RUN=${process.pid}-fuzz-${name}`;
  const child = spawn('node', ['--import', 'tsx', join(ROOT, 'test/fixtures/plantedCli.ts'), 'fuzz', ...args, '--out', out], {
    cwd: ROOT, env: { ...process.env, TMPDIR: scratch, URINGSPEC_TEST_RUN: marker.split('=')[1] }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => { stdout += d; });
  child.stderr!.on('data', (d) => { stderr += d; });
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  /** cond, or the run ended on its own (then the test fails at once, with its stderr) */
  const until = (cond: () => boolean, ms: number) => waitFor(() => cond() || !running(child), ms).then(() => cond());
  return { child, until, scratch, out, marker, exited, stdout: () => stdout, stderr: () => stderr };
}

/** The count of chains the last progress line reports: "fuzz: [1234/1000000] 0% 70 chains/s, ...". */
const chainsRun = (err: string) => Number([...err.matchAll(/fuzz: \[(\d+)(?:\/\d+)?\]/g)].at(-1)?.[1] ?? 0);

async function interruptAndCheck(run: ReturnType<typeof startFuzz>, target: string) {
  run.child.kill('SIGINT');
  const code = await run.exited;
  const out = run.stdout();
  const err = run.stderr();
  expect(code, err).toBe(130);
  // what was found so far: each failure, with the command that replays it from its seed and path
  // (the planted NOP shows in a chain's own NOP, or in the NOP the executor submits after the chain)
  expect(out).toMatch(/^# fail: .*\bexpected 7\b/m);
  const replay = out.match(new RegExp(`replay: uringspec fuzz --target ${target}.* --seed (\\d+) --path (\\S+)`));
  expect(replay, out).not.toBeNull();
  expect(out).toMatch(/^not ok 1 fuzz-\d+-/m);
  const lines = out.trim().split('\n');
  expect(lines.at(-2)).toMatch(/^# interrupted after \d+ chains$/);
  const tally = lines.at(-1)!.match(/^(\d+) passed, (\d+) failed$/);
  expect(tally, out).not.toBeNull();
  expect(Number(tally![2])).toBeGreaterThan(0);
  expect(err).not.toMatch(/at .*\.ts:\d+|internal error/);
  // nothing left behind: no executor, worker, QEMU; no temp dir
  expect(await waitFor(() => pidsWithEnv(run.marker).length === 0, 5000), pidsWithEnv(run.marker).join(' ')).toBe(true);
  expect(readdirSync(run.scratch).filter((n) => n.startsWith('uringspec-'))).toEqual([]);
}

describe('SIGINT during a host fuzz campaign', () => {
  it('stops the executor, prints what it found, exits 130 and leaves nothing behind', async () => {
    const run = startFuzz('host', ['--target', 'host', '--seed', '7', '--runs', '1000000', '--max-failures', '50']);
    // a failure was found, and the campaign goes on past it (executor and its worker up)
    const going = await run.until(() => /chain \d+ of seed \d+ failed/.test(run.stderr()) && chainsRun(run.stderr()) >= 100, 120_000);
    expect(going, run.stderr()).toBe(true);
    expect(pidsWithEnv(run.marker).length).toBeGreaterThanOrEqual(2);
    expect(readdirSync(run.scratch).some((n) => n.startsWith('uringspec-run-'))).toBe(true);
    await interruptAndCheck(run, 'host');
    // it was not shrunk, so nothing was kept
    expect(existsSync(run.out)).toBe(false);
  }, 180_000);

  it('stops a shrink or a confirmation in progress just as cleanly', async () => {
    const run = startFuzz('host-shrink', ['--target', 'host', '--seed', '7', '--runs', '1000000', '--max-failures', '1']);
    expect(await run.until(() => /shrinking failure 1\/1/.test(run.stderr()), 120_000), run.stderr()).toBe(true);
    await interruptAndCheck(run, 'host');
  }, 180_000);
});

// a cached plain reference kernel (never built here, none built with --extra-patch)
const kernel = findKernel({ cacheDir: defaultCacheDir() })?.bzImage;
describe.skipIf(!kernel)('SIGINT during a QEMU fuzz campaign', () => {
  it('kills QEMU, boots no more, prints what it found, exits 130 and leaves nothing behind', async () => {
    const run = startFuzz('qemu', ['--target', 'qemu', '--kernel', kernel!, '--seed', '7', '--runs', '1000000', '--max-failures', '50']);
    const going = await run.until(() => /chain \d+ of seed \d+ failed/.test(run.stderr()) && chainsRun(run.stderr()) >= 50, 240_000);
    expect(going, run.stderr()).toBe(true);
    expect(readdirSync(run.scratch).some((n) => n.startsWith('uringspec-vm'))).toBe(true);
    await interruptAndCheck(run, 'qemu');
    expect(run.stderr().match(/VM up with the executor/g)?.length, run.stderr()).toBe(1);
  }, 300_000);
});
