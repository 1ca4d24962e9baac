import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultCacheDir } from '../runner/kernel/cacheDir.js';
import { findKernel } from '../runner/qemu/findKernel.js';
import { ROOT } from './helpers.js';
import { pidsWithEnv, waitFor } from './procs.js';

// a cached plain reference kernel (never built here)
const kernel = findKernel({ cacheDir: defaultCacheDir() })?.bzImage;
const dir = mkdtempSync(join(tmpdir(), 'uringspec-sigint-vm-'));
let child: ChildProcess | undefined;
afterAll(async () => {
  // a failed test must not leave its run (and QEMU) going: SIGTERM lets it clean up after itself
  const running = () => !!child && child.exitCode === null && child.signalCode === null;
  if (running()) child!.kill('SIGTERM');
  await waitFor(() => !running(), 10_000);
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!kernel)('SIGINT during a QEMU run', () => {
  it('kills QEMU, boots no more, prints what finished, removes its dirs and exits 130', async () => {
    const scratch = join(dir, 'tmp');
    const cases = join(dir, 'cases');
    mkdirSync(scratch);
    mkdirSync(cases);
    const head = 'provenance: { kind: hand-written }\nring: { entries: 8 }\nsqes:\n';
    writeFileSync(join(cases, 'a-fast.yaml'), `description: a NOP\nrules: [nop.issue.success]\n${head}  - op: NOP\n`);
    const slow = `description: a 60 s TIMEOUT\nrules: [timeout.issue.expires]\n${head}  - { op: TIMEOUT, fields: { addr: { timespec: { sec: 60, nsec: 0 } }, len: 1 } }\n`;
    writeFileSync(join(cases, 'b-slow.yaml'), slow);
    writeFileSync(join(cases, 'c-slow.yaml'), slow);
    const mark = `${process.pid}-vm`;
    child = spawn('node', [`${ROOT}bin/uringspec.js`, 'run', cases, '--target', 'qemu', '--kernel', kernel!, '--timeout', '120'], {
      cwd: ROOT, env: { ...process.env, TMPDIR: scratch, URINGSPEC_TEST_RUN: mark }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => { out += d; });
    child.stderr!.on('data', (d) => { err += d; });
    const exited = new Promise<number | null>((r) => child!.on('close', (code) => r(code)));

    // the guest's executor answered the fast case; the slow one is then running inside QEMU
    expect(await waitFor(() => /\[1\/3\] 33% .*pass a-fast/.test(err), 240_000), err).toBe(true);
    expect(readdirSync(scratch).some((n) => n.startsWith('uringspec-vm'))).toBe(true);
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGINT');
    const code = await exited;

    expect(code, err).toBe(130);
    const lines = out.trim().split('\n');
    expect(lines.slice(0, 3)).toEqual(['KTAP version 1', '# uringspec qemu rfc-v1-6.12', '1..3']);
    expect(lines).toContain('ok 1 a-fast');
    expect(out).not.toMatch(/b-slow|c-slow/);
    expect(lines.at(-1)).toBe('1 passed, 0 failed, 0 skipped');
    expect(err.match(/VM up with the executor/g)?.length, err).toBe(1);
    expect(await waitFor(() => pidsWithEnv(`URINGSPEC_TEST_RUN=${mark}`).length === 0, 5000)).toBe(true);
    expect(readdirSync(scratch).filter((n) => n.startsWith('uringspec-'))).toEqual([]);
  }, 300_000);
});
