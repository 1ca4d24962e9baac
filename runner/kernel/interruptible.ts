import { endIfInterrupted, onInterrupt } from '../interrupt.js';

/**
 * Runs `fn` so that Ctrl-C (runner/interrupt.ts) stops it cleanly: on the signal,
 * `fn`'s commands are killed (runCommand's `abort`) and `cleanup` runs at once,
 * synchronously (it removes the build dir before the registry's grace timer can end
 * the process); then `fn`'s rejection becomes `Interrupted`, exit 130. Without it a
 * Ctrl-C left a half-built tree of several hundred MB in the cache.
 */
export async function interruptible<T>(say: (line: string) => void, what: string, cleanup: () => void, fn: (abort: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const off = onInterrupt(() => {
    say(`stopping ${what} and removing its files`);
    controller.abort();
    cleanup();
  });
  try {
    return await fn(controller.signal);
  } catch (e) {
    endIfInterrupted();
    throw e;
  } finally {
    off();
  }
}
