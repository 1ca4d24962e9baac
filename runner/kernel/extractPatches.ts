export interface SeriesPatch {
  index: number;
  total: number;
  title: string;
  diff: string;
}

const HEADER = /^\* \[PATCH RFC (\d+)\/(\d+)\] (.*)$/;
const ANY_MESSAGE = /^\* /;

/**
 * Pulls the patches out of a public-inbox thread page: for every message titled
 * `[PATCH RFC N/M]` (replies are `Re:` and never match) keep the text from the
 * first `diff --git` up to the `-- ` signature trailer. The cover letter (0/M)
 * has no diff and is skipped. Throws naming `source` unless exactly patches 1..M
 * are present, each with a diff and a trailer.
 */
export function extractPatches(text: string, source: string): SeriesPatch[] {
  const lines = text.split('\n');
  const found = new Map<number, SeriesPatch>();
  let total = 0;
  for (let i = 0; i < lines.length; i++) {
    const m = HEADER.exec(lines[i]);
    if (!m) continue;
    const index = Number(m[1]);
    total = Math.max(total, Number(m[2]));
    if (index === 0) continue;
    let end = i + 1;
    while (end < lines.length && !ANY_MESSAGE.test(lines[end])) end++;
    const body = lines.slice(i + 1, end);
    const start = body.findIndex((l) => l.startsWith('diff --git '));
    if (start < 0) throw new Error(`${source}: [PATCH RFC ${index}/${m[2]}] has no "diff --git" section`);
    const stop = body.findIndex((l, k) => k > start && l === '-- ');
    if (stop < 0) throw new Error(`${source}: [PATCH RFC ${index}/${m[2]}] has no "-- " trailer after its diff`);
    if (found.has(index)) throw new Error(`${source}: [PATCH RFC ${index}/${m[2]}] appears twice`);
    found.set(index, { index, total: Number(m[2]), title: m[3].trim(), diff: body.slice(start, stop).join('\n') + '\n' });
  }
  if (total === 0 || found.size === 0) throw new Error(`${source}: no "[PATCH RFC N/M]" messages found`);
  const missing = [];
  for (let n = 1; n <= total; n++) if (!found.has(n)) missing.push(n);
  if (missing.length) throw new Error(`${source}: expected ${total} patches, missing ${missing.map((n) => `${n}/${total}`).join(', ')}`);
  return [...found.values()].sort((a, b) => a.index - b.index);
}
