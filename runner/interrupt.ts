/**
 * Ctrl-C (SIGINT, SIGTERM, SIGHUP) for long commands, in one place.
 *
 * A module that owns something an interrupted run must not leave behind (a case's process group, a QEMU
 * child, a temp dir) registers a synchronous cleanup for as long as it owns it:
 *
 *     const off = onInterrupt(() => { try { process.kill(-pid, 'SIGKILL'); } catch { } });
 *     try { ... } finally { off(); }
 *
 * On the first signal every registered cleanup runs at once (so a running case or QEMU dies and the await on
 * it resolves), `interrupted()` turns true and the exit code becomes 130. A command that loops stops
 * launching work when `interrupted()` is true, prints what finished (its KTAP result lines were streamed as
 * they came; it adds the closing line) and calls `endIfInterrupted()`, which throws `Interrupted`; cli.ts
 * `main()` turns that into exit 130 without a stack. A second signal, or a command that has not ended
 * GRACE_MS after the first, exits 130 at once (the cleanups already ran). A short command that does not
 * watch `interrupted()` installs the handlers with `atOnce`: the cleanups run and it exits 130 there and then.
 * A cleanup registered after the signal (a QEMU started by code that had not looked yet) runs at once.
 */

export type Cleanup = () => void;

/** Thrown by a command that stopped because of a signal: exit 130, no message beyond its own output. */
export class Interrupted extends Error {
  constructor(readonly signal: string = 'SIGINT') { super(`interrupted by ${signal}`); }
}

export const INTERRUPT_EXIT = 130;
const GRACE_MS = 5000;

/** The registry, apart from the process so that it can be tested without signals. */
export class InterruptRegistry {
  private readonly cleanups = new Set<Cleanup>();
  signal: string | undefined;

  add(fn: Cleanup): () => void {
    if (this.signal !== undefined) {
      try { fn(); } catch { /* best effort */ }
      return () => {};
    }
    this.cleanups.add(fn);
    return () => { this.cleanups.delete(fn); };
  }

  get size(): number { return this.cleanups.size; }

  /** Runs and forgets every cleanup (each at most once, a throwing one does not stop the others); true on the first signal. */
  fire(signal: string): boolean {
    const first = this.signal === undefined;
    this.signal ??= signal;
    const fns = [...this.cleanups];
    this.cleanups.clear();
    for (const fn of fns) {
      try { fn(); } catch { /* best effort: the others must still run */ }
    }
    return first;
  }
}

const registry = new InterruptRegistry();
let installed = false;
let exitAtOnce = false;

function onSignal(signal: NodeJS.Signals): void {
  const first = registry.fire(signal);
  process.exitCode = INTERRUPT_EXIT;
  if (!first || exitAtOnce) process.exit(INTERRUPT_EXIT);
  process.stderr.write(`uringspec: ${signal}: stopping (again to quit at once)\n`);
  setTimeout(() => process.exit(INTERRUPT_EXIT), GRACE_MS).unref();
}

/** Takes over SIGINT, SIGTERM and SIGHUP for this process (idempotent); cleanups also run on a normal exit. */
export function installInterruptHandlers(o: { atOnce?: boolean } = {}): void {
  if (o.atOnce !== undefined) exitAtOnce = o.atOnce;
  if (installed) return;
  installed = true;
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, onSignal);
  process.on('exit', () => { registry.fire('exit'); });
}

/** Registers a cleanup until the returned function is called. */
export function onInterrupt(fn: Cleanup): () => void {
  installInterruptHandlers();
  return registry.add(fn);
}

/** True once a signal arrived: stop launching work. */
export function interrupted(): boolean {
  return registry.signal !== undefined && registry.signal !== 'exit';
}

/** Throws Interrupted when a signal arrived; call it after printing what finished. */
export function endIfInterrupted(): void {
  if (interrupted()) throw new Interrupted(registry.signal);
}
