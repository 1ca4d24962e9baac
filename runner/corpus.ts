import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Case, Spec } from '../spec/types.js';
import { readCase } from '../spec/case/parseCase.js';
import { InputError } from '../spec/load/inputError.js';
import { checkCaseId } from '../spec/case/caseId.js';

export const CASES_DIR = fileURLToPath(new URL('../cases/', import.meta.url));

export interface LoadedCase { id: string; file: string; c: Case }

function walk(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : name.endsWith('.yaml') ? [p] : [];
  });
}

/** The case id: its path under cases/ without .yaml, or the file name for a case elsewhere; checked against the schema's caseId. */
export function caseId(file: string): string {
  const rel = relative(CASES_DIR, resolve(file));
  return checkCaseId(file, (rel.startsWith('..') ? rel.split('/').pop()! : rel).replace(/\.yaml$/, ''));
}

/** Reads the given case files and directories (default: the whole corpus under cases/). */
export function loadCases(spec: Spec, paths: string[] = []): LoadedCase[] {
  const files = (paths.length ? paths : [CASES_DIR]).flatMap((p) => {
    let st;
    try { st = statSync(p); } catch { throw new InputError(p, 1, 1, '(file)', 'no such case file or directory'); }
    return st.isDirectory() ? walk(p) : [p];
  });
  return files.map((file) => ({ id: caseId(file), file, c: readCase(file, spec) }));
}
