import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

const children = new Set<ChildProcess>();
const dirs = new Set<string>();
let installed = false;

function cleanup(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  children.clear();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  cleanup();
  // Another listener (the CLI) decides what happens next; alone, keep the default: die.
  if (process.listenerCount(signal) === 1) {
    process.removeListener(signal, onSignal);
    process.kill(process.pid, signal);
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', cleanup);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
}

/**
 * Makes sure a child process is SIGKILLed and a scratch directory removed even if
 * node exits or is interrupted first. Returns the release function to call once
 * the caller has cleaned up itself.
 */
export function guard(what: { child?: ChildProcess; dir?: string }): () => void {
  install();
  if (what.child) children.add(what.child);
  if (what.dir) dirs.add(what.dir);
  return () => {
    if (what.child) children.delete(what.child);
    if (what.dir) dirs.delete(what.dir);
  };
}
