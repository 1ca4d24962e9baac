import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// A stand-in for the kernel build under cli.ts's handling: a long command run with runCommand's abort
// (a shell with a background job, like make and its compilers), a work dir the cleanup removes.
const script = (work: string) => `
import { mkdirSync, rmSync } from 'node:fs';
import { interruptible } from ${JSON.stringify(join(import.meta.dirname, 'interruptible.ts'))};
import { runChecked } from ${JSON.stringify(join(import.meta.dirname, 'runCommand.ts'))};
import { installInterruptHandlers, Interrupted } from ${JSON.stringify(join(import.meta.dirname, '..', 'interrupt.ts'))};
installInterruptHandlers();
mkdirSync(${JSON.stringify(work)});
const cleanup = () => rmSync(${JSON.stringify(work)}, { recursive: true, force: true });
try {
  await interruptible((l) => process.stderr.write(l + '\\n'), 'the test build', cleanup, async (abort) => {
    const sleeper = runChecked('sleep', 'sh', ['-c', 'sleep 60 & echo $! > ${work}/pid; wait'], { abort });
    process.stdout.write('started\\n');
    await sleeper;
  });
} catch (e) {
  process.stderr.write((e instanceof Interrupted ? 'Interrupted' : 'other: ' + e.message) + '\\n');
}
`;

// A zombie is dead: in a container whose PID 1 does not reap, it stays listed.
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

describe('interruptible', () => {
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    it(`on ${sig} kills the command's whole group, removes the files at once and ends as Interrupted (exit 130)`, async () => {
      const top = mkdtempSync(join(tmpdir(), 'uringspec-int-'));
      const work = join(top, 'build');
      try {
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script(work)], { stdio: ['ignore', 'pipe', 'pipe'], cwd: join(import.meta.dirname, '..', '..') });
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += d));
        await new Promise<void>((res) => child.stdout.on('data', (d) => String(d).includes('started') && res()));
        for (let i = 0; i < 100 && !existsSync(join(work, 'pid')); i++) await new Promise((r) => setTimeout(r, 20));
        const sleepPid = Number(readFileSync(join(work, 'pid'), 'utf8'));
        child.kill(sig);
        const code = await new Promise((res) => child.on('close', res));
        expect(code).toBe(130);
        expect(stderr).toContain('stopping the test build and removing its files');
        expect(stderr).toContain('Interrupted\n');
        expect(existsSync(work)).toBe(false);
        expect(alive(sleepPid)).toBe(false);
      } finally {
        rmSync(top, { recursive: true, force: true });
      }
    });
  }
});
