import { spawn } from 'node:child_process';
import { onInterrupt } from '../interrupt.js';
import { backpressuredWriter, type Transport } from './transport.js';

export interface HostExecutorOptions {
  binary: string;
  /** the exec helper, for spawn chains (URINGSPEC_HELPER) */
  helper?: string;
  /** per program, before the executor kills it */
  timeoutMs: number;
  /** where the executor makes its temp dir */
  tmpdir?: string;
}

/** Runs the executor as a child in its own process group, programs on its stdin, answers on its stdout. */
export function hostTransport(o: HostExecutorOptions): Transport & { pid: number | undefined } {
  const env = { ...process.env, ...(o.helper ? { URINGSPEC_HELPER: o.helper } : {}), ...(o.tmpdir ? { TMPDIR: o.tmpdir } : {}) };
  const child = spawn(o.binary, ['--timeout-ms', String(o.timeoutMs)], {
    env, stdio: ['pipe', 'pipe', 'pipe'], detached: true,
  });
  child.stdout.setEncoding('utf8');
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => { stderr = (stderr + d).slice(-4000); });
  child.stdin.on('error', () => { /* it exited: onEnd says why */ });
  const ends: ((why: string | undefined) => void)[] = [];
  let done = false;
  const writer = backpressuredWriter(child.stdin, () => done || !child.stdin.writable);
  // Ctrl-C: SIGTERM makes the executor kill the program it runs, remove its temp dir and exit
  const off = onInterrupt(() => { try { process.kill(child.pid!, 'SIGTERM'); } catch { /* gone */ } });
  const finish = (why: string | undefined) => {
    if (done) return;
    done = true;
    off();
    writer.flush();
    for (const cb of ends) cb(why);
  };
  child.on('error', (e) => finish(`cannot run the executor ${o.binary}: ${e.message}`));
  child.on('close', (code, signal) => finish(code === 0 ? undefined : `the executor ended (${signal ?? `exit ${code}`})${stderr ? `: ${stderr.trim().split('\n').pop()}` : ''}`));
  return {
    pid: child.pid,
    write: writer.write,
    onData: (cb) => child.stdout.on('data', cb),
    onEnd: (cb) => ends.push(cb),
    end: () => child.stdin.end(),
    kill: () => {
      try { process.kill(-child.pid!, 'SIGTERM'); } catch { /* gone */ }
      setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, 2000).unref();
    },
  };
}
