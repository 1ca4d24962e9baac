import { spawn } from 'node:child_process';
import type { RunOutcome } from '../verdict.js';
import { onInterrupt } from '../interrupt.js';

/**
 * Runs one compiled case in its own process group with a timeout. The program makes and removes its
 * own temp dir under TMPDIR; the caller hands it a scratch TMPDIR that it removes afterwards. On Ctrl-C
 * (runner/interrupt.ts) the whole group is killed at once, so no case binary outlives the run.
 */
export function execCase(binary: string, o: { timeoutMs: number; tmpdir: string }): Promise<Omit<RunOutcome, 'klog' | 'findings'>> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(binary, [], { cwd: o.tmpdir, env: { ...process.env, TMPDIR: o.tmpdir }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const killGroup = () => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ } };
    const off = child.pid ? onInterrupt(killGroup) : () => {};
    const chunks: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stderr.on('data', (d: Buffer) => chunks.push(d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, o.timeoutMs);
    const finish = (code: number | null, signal: NodeJS.Signals | null, error?: Error) => {
      clearTimeout(timer);
      // the program's own children (spawned tasks) die with it
      if (child.pid) killGroup();
      off();
      const stdout = Buffer.concat(chunks).toString('utf8').split('\n').filter((l) => l.length);
      if (error) stdout.push(`# cannot run ${binary}: ${error.message}`);
      const ms = Date.now() - started;
      if (timedOut) resolve({ status: 'timeout', stdout, ms });
      else if (signal) resolve({ status: 'exited', signal, stdout, ms });
      else resolve({ status: 'exited', exitCode: code ?? -1, stdout, ms });
    };
    child.on('error', (e) => finish(-1, null, e));
    child.on('close', (code, signal) => finish(code, signal));
  });
}
