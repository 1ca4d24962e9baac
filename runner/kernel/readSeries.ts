import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { EnvironmentError } from '../../spec/load/inputError.js';
import { extractPatches } from './extractPatches.js';
import { parseMessage, patchesFromFiles, patchesFromThread } from './mailPatches.js';
import { splitMbox } from './splitMbox.js';
import type { SeriesPatch } from './seriesPatch.js';

export type SeriesFormat = 'public-inbox page' | 'mbox' | 'format-patch directory';

/** Tells a thread file's kind from its content: an mbox or one mail starts with headers, a page lists `* [PATCH` titles. */
export function detectFormat(text: string): 'public-inbox page' | 'mbox' | undefined {
  const head = text.replace(/^\s+/, '').slice(0, 4096);
  if (/^From \S+/.test(head) || /^[\w-]+: /.test(head) && /^Subject: /im.test(head)) return 'mbox';
  if (/^\* \[[^\]]*PATCH/m.test(text)) return 'public-inbox page';
  return undefined;
}

function readText(path: string): string {
  const buf = readFileSync(path);
  return (buf[0] === 0x1f && buf[1] === 0x8b ? gunzipSync(buf) : buf).toString('utf8');
}

async function read(path: string): Promise<{ format: SeriesFormat; patches: SeriesPatch[] }> {
  if (statSync(path).isDirectory()) {
    const files = readdirSync(path).filter((f) => f.endsWith('.patch')).sort();
    if (files.length === 0) throw new Error(`${path}: directory has no *.patch files (git format-patch output)`);
    const messages = await Promise.all(files.map((f) => parseMessage(readText(join(path, f)), join(path, f))));
    return { format: 'format-patch directory', patches: patchesFromFiles(messages, path) };
  }
  const text = readText(path);
  const format = detectFormat(text);
  if (format === 'public-inbox page') return { format, patches: extractPatches(text, path) };
  if (format === 'mbox') {
    const messages = await Promise.all(splitMbox(text).map((raw, i) => parseMessage(raw, `${path}#${i + 1}`)));
    return { format, patches: patchesFromThread(messages, path) };
  }
  throw new Error(`${path}: not a public-inbox thread page, an mbox or a git format-patch file (no "[PATCH N/M]" messages)`);
}

/**
 * Reads a patch series from a public-inbox thread page, an mbox (`b4 mbox`, `b4 am`,
 * gzipped or not) or a directory of `git format-patch` files. Every problem is one
 * line naming the file.
 */
export async function readSeries(path: string): Promise<{ format: SeriesFormat; patches: SeriesPatch[] }> {
  if (!existsSync(path)) throw new EnvironmentError(`patch series not found: ${path}`);
  try {
    return await read(path);
  } catch (e) {
    throw e instanceof EnvironmentError ? e : new EnvironmentError((e as Error).message);
  }
}
