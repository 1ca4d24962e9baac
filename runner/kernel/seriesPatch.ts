/** One patch of a series, as read from a page, an mbox or a format-patch file. */
export interface SeriesPatch {
  index: number;
  total: number;
  title: string;
  /** Inside the subject's brackets, e.g. "PATCH RFC 7/9", when the source has it. */
  prefix?: string;
  /** From the first `diff --git` to the `-- ` signature: the only part the kernel's cache key hashes. */
  diff: string;
  /** What `git format-patch` writes around the diff, when the source has it. */
  from?: string;
  date?: string;
  /** The commit message, `---` and diffstat: everything before the diff. */
  message?: string;
  /** The line after `-- ` (git's version). */
  signature?: string;
}

export interface PatchBody {
  message: string;
  diff: string;
  /** Whether a `-- ` line ended the diff. */
  signed: boolean;
  signature?: string;
}

/**
 * Splits a patch message body: the diff runs from the first `diff --git` line to the
 * first `-- ` line after it (git's signature separator), or to the end of the body,
 * less trailing blank lines, when there is none (`--no-signature`). Undefined when
 * the body has no diff.
 */
export function splitPatchBody(lines: string[]): PatchBody | undefined {
  const start = lines.findIndex((l) => l.startsWith('diff --git '));
  if (start < 0) return undefined;
  let stop = lines.findIndex((l, k) => k > start && l === '-- ');
  const signed = stop >= 0;
  if (!signed) {
    stop = lines.length;
    while (stop > start && lines[stop - 1].trim() === '') stop--;
  }
  const body: PatchBody = { message: lines.slice(0, start).map((l) => l + '\n').join(''), diff: lines.slice(start, stop).join('\n') + '\n', signed };
  const sig = signed ? lines[stop + 1] : undefined;
  if (sig !== undefined && sig.trim()) body.signature = sig.trim();
  return body;
}

/** Orders patches 1..total, naming the source and what is missing or doubled. */
export function completeSeries(found: SeriesPatch[], source: string): SeriesPatch[] {
  const total = Math.max(0, ...found.map((p) => p.total));
  const byIndex = new Map<number, SeriesPatch>();
  for (const p of found) {
    if (byIndex.has(p.index)) throw new Error(`${source}: patch ${p.index}/${p.total} appears twice`);
    byIndex.set(p.index, p);
  }
  const missing = [];
  for (let n = 1; n <= total; n++) if (!byIndex.has(n)) missing.push(`${n}/${total}`);
  if (missing.length) throw new Error(`${source}: expected ${total} patches, missing ${missing.join(', ')}`);
  return [...byIndex.values()].sort((a, b) => a.index - b.index);
}
