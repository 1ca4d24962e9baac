import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFixup, type Fixup } from './parseFixup.js';

/** The repo-kept fixups (runner/kernel/fixups/*.patch), in file-name order. */
export function loadFixups(dir = join(import.meta.dirname, 'fixups')): Fixup[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.patch'))
    .sort()
    .map((f) => parseFixup(readFileSync(join(dir, f), 'utf8'), join(dir, f)));
}
