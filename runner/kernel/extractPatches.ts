import { completeSeries, splitPatchBody, type SeriesPatch } from './seriesPatch.js';
import { parseSubject } from './parseSubject.js';

export type { SeriesPatch } from './seriesPatch.js';

const MESSAGE = /^\* (.*)$/;
const AUTHOR = /^From: (.*?) @ (\d{4}-\d\d-\d\d \d\d:\d\d) UTC/;

/** The public-inbox header of one message: who, when, and where its body starts. */
function header(body: string[]): { from?: string; date?: string; start: number } {
  const at = body.findIndex((l) => AUTHOR.test(l));
  if (at < 0) return { start: 0 };
  const [, from, date] = AUTHOR.exec(body[at])!;
  let start = at + 1;
  while (start < body.length && /^\s+\S/.test(body[start])) start++;
  if (body[start] === '') start++;
  return { from, date: new Date(`${date.replace(' ', 'T')}:00Z`).toUTCString().replace('GMT', '+0000'), start };
}

/**
 * Pulls the patches out of a public-inbox thread page: for every message titled
 * `[PATCH ... N/M]` (replies are `Re:` and never match) keep the text from the
 * first `diff --git` up to the `-- ` signature trailer. The cover letter (0/M)
 * has no diff and is skipped. Throws naming `source` unless exactly patches 1..M
 * are present, each with a diff and a trailer.
 */
export function extractPatches(text: string, source: string): SeriesPatch[] {
  const lines = text.split('\n');
  const found: SeriesPatch[] = [];
  for (let i = 0; i < lines.length; i++) {
    const s = parseSubject(MESSAGE.exec(lines[i])?.[1] ?? '');
    if (!s || s.index === 0) continue;
    const name = `[${s.prefix}]`;
    let end = i + 1;
    while (end < lines.length && !MESSAGE.test(lines[end])) end++;
    const h = header(lines.slice(i + 1, end));
    const body = lines.slice(i + 1 + h.start, end);
    const split = splitPatchBody(body);
    if (!split) throw new Error(`${source}:${i + 1}: ${name} has no "diff --git" section`);
    if (!split.signed) throw new Error(`${source}:${i + 1}: ${name} has no "-- " trailer after its diff`);
    const p: SeriesPatch = { index: s.index, total: s.total, title: s.title, prefix: s.prefix, diff: split.diff, message: split.message };
    if (h.from) p.from = h.from;
    if (h.date) p.date = h.date;
    if (split.signature) p.signature = split.signature;
    found.push(p);
  }
  if (found.length === 0) throw new Error(`${source}: no "[PATCH N/M]" messages found`);
  return completeSeries(found, source);
}
