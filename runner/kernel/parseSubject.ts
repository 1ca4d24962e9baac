export interface PatchSubject {
  /** What is inside the brackets, e.g. "PATCH RFC 7/9". */
  prefix: string;
  index: number;
  total: number;
  title: string;
}

const BRACKETS = /^\[([^\]]*)\]\s*(.*)$/;

/**
 * Reads a patch subject: `[PATCH RFC 7/9] title`, `[RFC PATCH v2 3/5] title`, or an
 * unnumbered `[PATCH] title` (1/1). Replies (`Re: ...`) and other mail are undefined.
 */
export function parseSubject(subject: string): PatchSubject | undefined {
  const m = BRACKETS.exec(subject.trim());
  if (!m || !/(^|\s)PATCH(\s|$)/.test(m[1])) return undefined;
  const n = /(?:^|\s)(\d+)\/(\d+)$/.exec(m[1].trim());
  return { prefix: m[1].trim(), index: n ? Number(n[1]) : 1, total: n ? Number(n[2]) : 1, title: m[2].trim() };
}
