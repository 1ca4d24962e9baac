import { spawn } from 'node:child_process';

export interface RunOptions {
  cwd?: string;
  input?: string;
  /** Called with output lines, at most once per `throttleMs` (the latest line wins). */
  onLine?: (line: string) => void;
  throttleMs?: number;
  /** Called with every output line, unthrottled. */
  eachLine?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** Runs the command in its own process group and SIGKILLs the group when aborted (make and all its compilers). */
  abort?: AbortSignal;
}

export interface RunResult {
  code: number;
  output: string;
}

/** Runs a command to completion, merging stdout and stderr; never rejects on exit code. */
export function runCommand(cmd: string, args: string[], o: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: o.cwd, env: o.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'], detached: o.abort !== undefined });
    const stop = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // the group is gone already
      }
    };
    if (o.abort?.aborted) stop();
    o.abort?.addEventListener('abort', stop, { once: true });
    const chunks: string[] = [];
    let partial = '';
    let lastEmit = 0;
    const take = (buf: Buffer) => {
      const text = buf.toString('utf8');
      chunks.push(text);
      if (!o.onLine && !o.eachLine) return;
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      if (o.eachLine) for (const l of lines) o.eachLine(l);
      if (!o.onLine) return;
      const latest = lines.filter((l) => l.trim()).pop();
      const now = Date.now();
      if (latest && now - lastEmit >= (o.throttleMs ?? 0)) {
        lastEmit = now;
        o.onLine(latest);
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (e) => reject(new Error(`cannot run ${cmd}: ${e.message}`)));
    child.on('close', (code, signal) => {
      o.abort?.removeEventListener('abort', stop);
      resolve({ code: code ?? (signal ? 128 : 1), output: chunks.join('') });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(o.input ?? '');
  });
}

/** Like runCommand, but throws `<what> failed (exit N)` plus the output's tail. */
export async function runChecked(what: string, cmd: string, args: string[], o: RunOptions = {}): Promise<string> {
  const r = await runCommand(cmd, args, o);
  if (r.code !== 0) {
    const tail = r.output.trimEnd().split('\n').slice(-25).join('\n');
    throw new Error(`${what} failed (exit ${r.code}):\n${tail}`);
  }
  return r.output;
}
