export interface Fixup {
  /** Series patch number this fixup belongs to. */
  patch: number;
  /** Hunks of that patch it replaces, as `path#hunk` in patch(1)'s numbering. */
  replaces: string[];
  text: string;
  source: string;
}

/**
 * Reads a fixup file: a header with `Fixes-Patch: N` and `Replaces-Hunks: a#1 b#2`,
 * then an ordinary -p1 diff (patch(1) skips the header as leading garbage).
 */
export function parseFixup(text: string, source: string): Fixup {
  const patch = /^Fixes-Patch:\s*(\d+)\s*$/m.exec(text);
  const replaces = /^Replaces-Hunks:\s*(.+)$/m.exec(text);
  if (!patch || !replaces) throw new Error(`${source}: fixup needs "Fixes-Patch:" and "Replaces-Hunks:" header lines`);
  if (!/^diff --git /m.test(text)) throw new Error(`${source}: fixup has no "diff --git" section`);
  return { patch: Number(patch[1]), replaces: replaces[1].trim().split(/\s+/).sort(), text, source };
}
