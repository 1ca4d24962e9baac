import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Spec } from '../spec/types.js';

/** The TypeScript stages that interpret the spec: none of them may name an op, an opcode or an errno. */
export const INTERPRETING_STAGES = ['generators', 'c-templates', 'runner'] as const;

export interface Leak { file: string; line: number; name: string; text: string }

/** The vocabulary only spec/ may name: op short names, IORING_OP_* names and the errno names of spec/ring.yaml. */
export function specNames(spec: Spec): { ops: string[]; opNames: string[]; errnos: string[] } {
  const ops = Object.values(spec.ops);
  return { ops: ops.map((o) => o.short), opNames: ops.map((o) => o.name), errnos: Object.keys(spec.ring.errno) };
}

// Node's own system-error codes (e.code === 'ENOENT') are about the runner's files, not about io_uring
const NODE_ERROR_CODE = /\bcode\s*[!=]==?\s*'E[A-Z]+'/g;
const strip = (line: string) => line.replace(/\/\/.*$/, '').replace(/\/\*.*?\*\//g, '').replace(NODE_ERROR_CODE, '');
const isComment = (line: string) => /^\s*(\*|\/\*|\/\/)/.test(line);

/**
 * Where a source text names the spec's vocabulary outside comments: an op as a quoted string ('NOP'), an
 * IORING_OP_* identifier, or an errno name as a quoted string or a C/TS identifier (EINVAL, 'ECANCELED').
 * `prose` lists the lines allowed to name an op in a sentence (a title, a command's description).
 */
export function leaksIn(file: string, text: string, names: ReturnType<typeof specNames>, prose: RegExp[] = []): Leak[] {
  const alt = (xs: string[]) => xs.map((x) => x.replace(/[^A-Z0-9_]/g, '')).filter(Boolean).join('|');
  const re = new RegExp(`['"\`](${alt(names.ops)})['"\`]|\\b(${alt(names.opNames)})\\b|['"\`](${alt(names.errnos)})['"\`]|-(${alt(names.errnos)})\\b`, 'g');
  const out: Leak[] = [];
  text.split('\n').forEach((line, i) => {
    if (isComment(line) || prose.some((p) => p.test(line))) return;
    for (const m of strip(line).matchAll(re)) out.push({ file, line: i + 1, name: m[0], text: line.trim() });
  });
  return out;
}

export function tsSources(root: string, dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((n) => {
    const p = join(dir, n);
    return statSync(join(root, p)).isDirectory() ? tsSources(root, p) : p.endsWith('.ts') && !p.endsWith('.test.ts') && !p.includes('/testing/') ? [p] : [];
  });
}

export const rel = (root: string, p: string) => relative(root, p);
export const read = (root: string, p: string) => readFileSync(join(root, p), 'utf8');
