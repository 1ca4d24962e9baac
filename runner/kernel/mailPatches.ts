import PostalMime from 'postal-mime';
import { parseSubject } from './parseSubject.js';
import { completeSeries, splitPatchBody, type SeriesPatch } from './seriesPatch.js';

export interface MailMessage {
  /** Where the message came from, for errors: `file` or `file#3`. */
  where: string;
  subject: string;
  text: string;
  from?: string;
  date?: string;
}

/** Decodes one RFC 5322 message: unfolded subject, transfer-decoded text body. */
export async function parseMessage(raw: string, where: string): Promise<MailMessage> {
  const e = await PostalMime.parse(raw);
  const m: MailMessage = { where, subject: e.subject ?? '', text: e.text ?? '' };
  const from = e.from?.name ? `${e.from.name} <${e.from.address ?? ''}>` : e.from?.address;
  if (from) m.from = from;
  if (e.date) m.date = new Date(e.date).toUTCString().replace('GMT', '+0000');
  return m;
}

function toPatch(m: MailMessage, index: number, total: number, title: string, prefix?: string): SeriesPatch | undefined {
  const split = splitPatchBody(m.text.replace(/\r\n/g, '\n').split('\n'));
  if (!split) return undefined;
  const p: SeriesPatch = { index, total, title, diff: split.diff, message: split.message };
  if (prefix) p.prefix = prefix;
  if (m.from) p.from = m.from;
  if (m.date) p.date = m.date;
  if (split.signature) p.signature = split.signature;
  return p;
}

/**
 * The patches of a thread's messages (an mbox): those whose subject is `[PATCH ... N/M]`,
 * numbered by their subjects; replies and the cover letter (0/M) are skipped.
 */
export function patchesFromThread(messages: MailMessage[], source: string): SeriesPatch[] {
  const found: SeriesPatch[] = [];
  for (const m of messages) {
    const s = parseSubject(m.subject);
    if (!s || s.index === 0) continue;
    const p = toPatch(m, s.index, s.total, s.title, s.prefix);
    if (!p) throw new Error(`${m.where}: [${s.prefix}] has no "diff --git" section`);
    found.push(p);
  }
  if (found.length === 0) throw new Error(`${source}: no "[PATCH N/M]" messages with a diff found`);
  return completeSeries(found, source);
}

/**
 * The patches of a `git format-patch` directory, numbered in file-name order as
 * `git am dir/*.patch` applies them; a file without a diff (the cover letter) is skipped.
 */
export function patchesFromFiles(messages: MailMessage[], source: string): SeriesPatch[] {
  const withDiff = messages.filter((m) => splitPatchBody(m.text.split('\n')));
  if (withDiff.length === 0) throw new Error(`${source}: no *.patch file with a "diff --git" section`);
  return withDiff.map((m, i) => {
    const s = parseSubject(m.subject);
    return toPatch(m, i + 1, withDiff.length, s?.title ?? m.subject.trim(), s?.prefix)!;
  });
}
