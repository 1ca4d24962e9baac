import type { SeriesPatch } from './extractPatches.js';
import type { Fixup } from './parseFixup.js';
import { failedHunks } from './failedHunks.js';
import { runCommand } from './runCommand.js';

// --fuzz=0: a hunk that does not match exactly is a re-base question, never a guess.
const PATCH_ARGS = ['-p1', '--forward', '--fuzz=0', '--no-backup-if-mismatch', '--reject-file=-'];

/**
 * Applies the series in order. A patch whose rejected hunks are exactly the ones a
 * fixup declares is completed by that fixup; any other failure is an error.
 */
export async function applySeries(tree: string, patches: SeriesPatch[], fixups: Fixup[], onProgress: (line: string) => void): Promise<void> {
  for (const p of patches) {
    const name = `[${p.prefix ?? `PATCH ${p.index}/${p.total}`}] ${p.title}`;
    onProgress(`applying ${name}`);
    const r = await runCommand('patch', PATCH_ARGS, { cwd: tree, input: p.diff });
    const failed = failedHunks(r.output);
    if (r.code === 0 && failed.length === 0) continue;
    const fixup = fixups.find((f) => f.patch === p.index);
    if (!fixup || failed.join(' ') !== fixup.replaces.join(' ')) {
      const what = failed.length ? `hunks ${failed.join(', ')} did not apply` : r.output.trim().split('\n').pop();
      const known = fixup ? ` (fixup ${fixup.source} covers ${fixup.replaces.join(', ')})` : '';
      throw new Error(`${name}: ${what}${known}`);
    }
    onProgress(`  rejected ${failed.join(', ')} as expected; applying ${fixup.source}`);
    const f = await runCommand('patch', PATCH_ARGS, { cwd: tree, input: fixup.text });
    if (f.code !== 0) throw new Error(`fixup ${fixup.source} for ${name} did not apply: ${f.output.trim().split('\n').pop()}`);
  }
}
