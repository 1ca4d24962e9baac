import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PreparedCase } from './prepareCase.js';
import type { Verdict } from './verdict.js';

/** Writes <dir>/<case id>.c, the standalone reproducer, for every case whose verdict is not pass or skip; returns the files. */
export function writeReproducers(dir: string, prepared: PreparedCase[], verdicts: Verdict[]): string[] {
  const byId = new Map(prepared.map((pc) => [pc.id, pc]));
  const files: string[] = [];
  for (const v of verdicts) {
    const pc = byId.get(v.id);
    if (!pc || v.kind === 'pass' || v.kind === 'skip') continue;
    const file = join(dir, `${v.id}.c`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, pc.source);
    files.push(file);
  }
  return files;
}
