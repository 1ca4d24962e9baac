import type { SeriesPatch } from './seriesPatch.js';

/** `git format-patch`'s file name: `0007-io_uring-Introduce-IORING_OP_CLONE.patch`. */
export function patchFileName(p: SeriesPatch): string {
  const slug = p.title.replace(/[^A-Za-z0-9._]+/g, '-').replace(/^[-.]+/, '').slice(0, 52).replace(/[-.]+$/, '');
  return `${String(p.index).padStart(4, '0')}-${slug}.patch`;
}

/**
 * The patch as a `git format-patch` file (an mbox of one message) that `git am` and
 * readSeries take back, with the same diff byte for byte.
 */
export function formatPatch(p: SeriesPatch): string {
  // A public-inbox page hides addresses, and git am refuses a From: without one.
  const from = /<[^>]*@[^>]*>/.test(p.from ?? '') ? p.from : `${p.from ?? 'unknown'} <unknown@address.invalid>`;
  const prefix = p.prefix ?? (p.total > 1 ? `PATCH ${p.index}/${p.total}` : 'PATCH');
  return [
    'From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001',
    `From: ${from}`,
    ...(p.date ? [`Date: ${p.date}`] : []),
    `Subject: [${prefix}] ${p.title}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    `${p.message ?? '---\n\n'}${p.diff}-- `,
    `${p.signature ?? ''}`,
    '',
  ].join('\n');
}
