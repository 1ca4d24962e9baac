import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PROFILED_SOURCES } from './coverageProfile.js';
import { runCommand } from './runCommand.js';

/** Tree-relative paths matching PROFILED_SOURCES (a `*` only in the file name). */
export function profiledFiles(tree: string): string[] {
  return PROFILED_SOURCES.flatMap((glob) => {
    const dir = dirname(glob);
    const name = glob.slice(dir.length + 1);
    const re = new RegExp(`^${name.replace(/\./g, '\\.').replace(/\*/g, '[^/]*')}$`);
    return existsSync(join(tree, dir)) ? readdirSync(join(tree, dir)).filter((f) => re.test(f)).sort().map((f) => `${dir}/${f}`) : [];
  });
}

/** Files the series changes or creates, from the `+++ b/` lines of its diffs. */
export function touchedFiles(diffs: string[]): string[] {
  const files = new Set<string>();
  for (const d of diffs) for (const m of d.matchAll(/^\+\+\+ b\/(\S+)$/gm)) files.add(m[1]);
  return [...files].sort();
}

/** Copies the unpatched versions of `files` (those that exist) to `dest`, before the series is applied. */
export function savePristine(tree: string, files: string[], dest: string): void {
  for (const f of files) {
    if (!existsSync(join(tree, f))) continue;
    mkdirSync(dirname(join(dest, f)), { recursive: true });
    cpSync(join(tree, f), join(dest, f));
  }
}

/**
 * Puts into `dest` what gcov needs on the host after the build dir is gone: the
 * profiled sources of the patched tree with their .gcno files, and `applied.diff`,
 * the series as it applied to this tree (`diff -U0` of pristine and patched files),
 * whose hunks say which lines are the RFC's.
 */
export async function saveCoverageFiles(tree: string, pristine: string, touched: string[], dest: string): Promise<void> {
  for (const src of profiledFiles(tree)) {
    const gcno = src.replace(/\.c$/, '.gcno');
    for (const f of src.endsWith('.c') && existsSync(join(tree, gcno)) ? [src, gcno] : [src]) {
      mkdirSync(dirname(join(dest, f)), { recursive: true });
      cpSync(join(tree, f), join(dest, f));
    }
  }
  const parts: string[] = [];
  for (const f of touched) {
    const before = existsSync(join(pristine, f)) ? join(pristine, f) : '/dev/null';
    const r = await runCommand('diff', ['-U0', '--label', `a/${f}`, '--label', `b/${f}`, before, join(tree, f)]);
    if (r.code > 1) throw new Error(`diff of ${f} failed: ${r.output.trim()}`);
    parts.push(r.output);
  }
  writeFileSync(join(dest, 'applied.diff'), parts.join(''));
}
