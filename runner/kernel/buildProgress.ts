/** How many objects a build is expected to compile, and where that number comes from. */
export interface ExpectedObjects {
  count: number;
  from: 'the previous build' | 'an estimate';
}

/** A kbuild line compiling one object: `  CC      kernel/fork.o`, `  AS      arch/x86/entry/entry_64.o`. */
const OBJECT = /^\s*(?:CC|AS)\s+(?:\[M\]\s+)?\S+\.o$/;

const clock = (ms: number) => {
  const s = Math.max(0, Math.round(ms / 1000));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
};

/**
 * Turns make's output into a progress line at most every `everyMs`: the percentage
 * of the expected objects compiled so far and the time left at the rate so far.
 * Pure: time is passed in.
 */
export class BuildProgress {
  objects = 0;
  private first?: number;
  private lastSaid: number;

  constructor(private expected: ExpectedObjects, private startedAt: number, private everyMs = 5000) {
    this.lastSaid = startedAt;
  }

  /** Feeds one output line; returns a line to show, or undefined. */
  line(text: string, now: number): string | undefined {
    if (!OBJECT.test(text)) return undefined;
    this.objects++;
    this.first ??= now;
    if (now - this.lastSaid < this.everyMs) return undefined;
    this.lastSaid = now;
    return this.describe(now);
  }

  describe(now: number): string {
    const { count, from } = this.expected;
    const elapsed = `${clock(now - this.startedAt)} elapsed`;
    if (this.objects >= count) return `make: ${this.objects} objects compiled (${count} expected from ${from}), ${elapsed}, linking soon`;
    const pct = Math.floor((100 * this.objects) / count);
    const rate = this.objects / Math.max(1, now - this.first!);
    const left = this.objects >= 20 ? `, about ${clock((count - this.objects) / rate)} left` : '';
    return `make: ${pct}% (${this.objects}/${count} objects, count from ${from}), ${elapsed}${left}`;
  }
}
