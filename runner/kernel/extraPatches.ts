import { existsSync, readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { EnvironmentError } from '../../spec/load/inputError.js';
import { splitPatchBody } from './seriesPatch.js';
import { failedHunks } from './failedHunks.js';
import { runCommand } from './runCommand.js';

/** A patch of the user's (`kernel build --extra-patch P`), applied after the series. */
export interface ExtraPatch {
  /** the path as given, for messages and meta.json */
  source: string;
  /** the diff only (from the first `diff --git`, or `--- ` line, to the signature): what the cache key hashes */
  diff: string;
}

/** The diff of a patch file: a `git format-patch` mail, `git diff` output or a plain `diff -u`; undefined when there is none. */
export function diffOf(text: string): string | undefined {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const git = splitPatchBody(lines);
  if (git) return git.diff;
  const start = lines.findIndex((l, i) => l.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ') && /^@@ /.test(lines[i + 2] ?? ''));
  if (start < 0) return undefined;
  let stop = lines.length;
  while (stop > start && lines[stop - 1]!.trim() === '') stop--;
  return lines.slice(start, stop).join('\n') + '\n';
}

/** Reads each --extra-patch; a missing, unreadable or diff-less file is one line naming the option. */
export function readExtraPatches(paths: string[]): ExtraPatch[] {
  return paths.map((p) => {
    if (!existsSync(p)) throw new EnvironmentError(`--extra-patch ${p}: file not found`);
    if (!statSync(p).isFile()) throw new EnvironmentError(`--extra-patch ${p}: not a file (give one patch per --extra-patch)`);
    let text: string;
    try {
      const buf = readFileSync(p);
      text = (buf[0] === 0x1f && buf[1] === 0x8b ? gunzipSync(buf) : buf).toString('utf8');
    } catch (e) {
      throw new EnvironmentError(`--extra-patch ${p}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    const diff = diffOf(text);
    if (!diff) throw new EnvironmentError(`--extra-patch ${p}: no diff in it (want git format-patch, git diff or diff -u output)`);
    return { source: p, diff };
  });
}

// as for the series: a hunk that does not match exactly is a re-base question, never a guess
const PATCH_ARGS = ['-p1', '--forward', '--fuzz=0', '--no-backup-if-mismatch', '--reject-file=-'];

/** Applies the extra patches in order, after the series; one that does not apply is one line naming it. */
export async function applyExtraPatches(tree: string, patches: ExtraPatch[], onProgress: (line: string) => void): Promise<void> {
  for (const p of patches) {
    onProgress(`applying --extra-patch ${p.source}`);
    const r = await runCommand('patch', PATCH_ARGS, { cwd: tree, input: p.diff });
    const failed = failedHunks(r.output);
    if (r.code === 0 && failed.length === 0) continue;
    const what = failed.length ? `hunks ${failed.join(', ')} did not apply` : r.output.trim().split('\n').pop();
    throw new EnvironmentError(`--extra-patch ${p.source}: ${what} on top of the series`);
  }
}
