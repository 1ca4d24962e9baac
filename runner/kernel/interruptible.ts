/**
 * Runs `fn` so that SIGINT or SIGTERM stops it cleanly: the signal aborts `fn`'s
 * commands (runCommand's `abort`), `fn`'s own finally blocks remove what it made,
 * and then the process exits 130. Without this a Ctrl-C kills node before any
 * finally runs and leaves a half-built tree of several hundred MB in the cache.
 */
export async function interruptible<T>(say: (line: string) => void, what: string, fn: (abort: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let caught: NodeJS.Signals | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    if (caught) return;
    caught = sig;
    say(`${sig}: stopping ${what} and removing its files`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const result = await fn(controller.signal);
    if (caught) process.exit(130);
    return result;
  } catch (e) {
    if (caught) process.exit(130);
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
