export interface RfcHunk {
  /** New-side lines the hunk adds or changes, first and last. */
  start: number;
  end: number;
  added: number[];
  /** The hunk creates the file (`@@ -0,0 ...`). */
  created?: true;
}

/** Tree-relative file -> the hunks of the series as it applied (new-side line numbers). */
export type RfcLines = Map<string, RfcHunk[]>;

const HUNK = /^@@ -(\d+(?:,\d+)?) \+(\d+)(?:,(\d+))? @@/;

/**
 * Reads `applied.diff` (`diff -U0` of the pristine and the patched files, written by
 * the coverage build): the lines each hunk adds, in the patched file's numbering.
 * Hunks that only delete add nothing to cover and are left out.
 */
export function parseAppliedDiff(text: string): RfcLines {
  const out: RfcLines = new Map();
  let file: string | undefined;
  let next = 0;
  let hunk: RfcHunk | undefined;
  for (const line of text.split('\n')) {
    const target = /^\+\+\+ b\/(\S+)/.exec(line);
    if (target) {
      file = target[1];
      hunk = undefined;
      continue;
    }
    if (line.startsWith('--- ')) continue;
    const h = HUNK.exec(line);
    if (h && file) {
      next = Number(h[2]);
      hunk = { start: next, end: next + (h[3] === undefined ? 1 : Number(h[3])) - 1, added: [], ...(h[1] === '0,0' ? { created: true as const } : {}) };
      if (hunk.end >= hunk.start) {
        if (!out.has(file)) out.set(file, []);
        out.get(file)!.push(hunk);
      }
      continue;
    }
    if (hunk && line.startsWith('+')) hunk.added.push(next++);
  }
  return out;
}
