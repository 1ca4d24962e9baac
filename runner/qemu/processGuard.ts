import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { onInterrupt } from '../interrupt.js';

/**
 * Makes sure a child process is SIGKILLed and a scratch directory removed even if node exits or is
 * interrupted (runner/interrupt.ts) first. Returns the release function to call once the caller has
 * cleaned up itself.
 */
export function guard(what: { child?: ChildProcess; dir?: string }): () => void {
  return onInterrupt(() => {
    const c = what.child;
    if (c && c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    if (what.dir) rmSync(what.dir, { recursive: true, force: true });
  });
}
