import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findKernel } from './findKernel.js';
import { runInVm, type VmRunResult } from './runInVm.js';

const kernel = findKernel();
const FIXTURES = join(import.meta.dirname, 'fixtures');
const hasQemu = (() => {
  try {
    execFileSync('qemu-system-x86_64', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const hasStaticLiburing = (() => {
  try {
    return execFileSync('gcc', ['-print-file-name=liburing.a'], { encoding: 'utf8' }).trim().startsWith('/');
  } catch {
    return false;
  }
})();
const skip = !kernel
  ? 'no reference kernel in the cache: run `uringspec kernel build --series FILE` or set URINGSPEC_KERNEL'
  : !hasQemu
    ? 'qemu-system-x86_64 not installed'
    : !hasStaticLiburing
      ? 'static liburing.a not found (apt-get install liburing-dev)'
      : undefined;

function ourChildren(): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return Number(readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ')[1]) === process.pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}
const vmDirs = () => readdirSync(tmpdir()).filter((d) => d.startsWith('uringspec-vm-'));

if (skip) {
  console.warn(`runInVm integration test skipped: ${skip}`);
  describe('runInVm on the reference kernel', () => {
    it.skip(`skipped: ${skip}`, () => {});
  });
} else describe('runInVm on the reference kernel', () => {
  let bin: string;
  let run: VmRunResult;
  let dirsBefore: string[];
  const progress: string[] = [];

  beforeAll(async () => {
    bin = mkdtempSync(join(tmpdir(), 'uringspec-fixtures-'));
    const cc = (name: string, libs: string[] = []) =>
      execFileSync('gcc', ['-static', '-O2', '-Wall', '-Werror', '-o', join(bin, name), join(FIXTURES, `${name}.c`), ...libs]);
    for (const name of ['exit0', 'exit1', 'sleep-forever', 'spawn-helper', 'poweroff']) cc(name);
    cc('spawn', ['-luring']);
    dirsBefore = vmDirs();
    run = await runInVm({
      kernel: kernel!.bzImage,
      genInitCpio: kernel!.genInitCpio,
      cases: [
        { id: 'exit0', binary: join(bin, 'exit0'), timeoutSec: 10 },
        { id: 'exit1', binary: join(bin, 'exit1'), timeoutSec: 10 },
        { id: 'sleep-forever', binary: join(bin, 'sleep-forever'), timeoutSec: 2 },
        { id: 'spawn/clone-exec', binary: join(bin, 'spawn'), timeoutSec: 10 },
        { id: 'poweroff-mid-case', binary: join(bin, 'poweroff'), timeoutSec: 10 },
        { id: 'exit0-after-reboot', binary: join(bin, 'exit0'), timeoutSec: 10 },
      ],
      extraFiles: [{ guestPath: '/bin/spawn-helper', hostPath: join(bin, 'spawn-helper'), mode: 0o755 }],
      onProgress: (l) => progress.push(l),
    });
  }, 240_000);

  afterAll(() => {
    if (bin) rmSync(bin, { recursive: true, force: true });
  });

  const result = (id: string) => run.results.find((r) => r.id === id)!;

  it('reports exit codes and output', () => {
    expect(result('exit0')).toMatchObject({ status: 'exited', exitCode: 0, stdout: ['exit0: hello'], findings: [] });
    expect(result('exit1')).toMatchObject({ status: 'exited', exitCode: 1, stdout: ['exit1: failing on purpose'] });
  });

  it('kills a case that outlives its timeout and goes on', () => {
    expect(result('sleep-forever')).toMatchObject({ status: 'timeout', signal: 9 });
    expect(result('sleep-forever').ms).toBeGreaterThanOrEqual(2000);
  });

  it('runs IORING_OP_CLONE (58) linked to IORING_OP_EXEC (59) of a static helper', () => {
    const r = result('spawn/clone-exec');
    expect(r.stdout).toEqual(expect.arrayContaining(['cqe user_data=1 res=0', 'cqe user_data=2 res=0', expect.stringMatching(/^helper: argc=2 argv1=hello mark=uring/)]));
    expect(r).toMatchObject({ status: 'exited', exitCode: 0, findings: [] });
  });

  it('treats QEMU exiting mid-case as a crash and resumes at the next case in a new boot', () => {
    expect(result('poweroff-mid-case')).toMatchObject({ status: 'crash', note: 'QEMU exited while the case ran' });
    expect(result('exit0-after-reboot')).toMatchObject({ status: 'exited', exitCode: 0 });
    expect(run.boots).toBe(2);
    expect(run.bootMs).toHaveLength(2);
    expect(progress).toContain('boot 2: cases 6..6');
  });

  it('leaves no QEMU process and no scratch directory behind', () => {
    expect(ourChildren()).toEqual([]);
    expect(vmDirs().filter((d) => !dirsBefore.includes(d))).toEqual([]);
  });
});
