import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { coverageFromGcov, parseGcovOutput, type Coverage } from './gcovJson.js';
import type { GcovDump } from './gcovFrames.js';

/**
 * Maps a guest path under /sys/kernel/debug/gcov (the build tree's absolute path,
 * without its leading slash, then the object's path) to the tree-relative path.
 */
export function treeRelative(guestPath: string, tree: string): string | undefined {
  const prefix = tree.replace(/^\/+/, '').replace(/\/+$/, '') + '/';
  return guestPath.startsWith(prefix) ? guestPath.slice(prefix.length) : undefined;
}

/**
 * Runs gcov on one dump: the .gcda files go next to the .gcno files of the coverage
 * kernel's cache entry (`gcovDir`, copied to a temp dir), then `gcov -b --json-format
 * --stdout` gives line and branch counts. gcov must be the gcc that built the kernel.
 */
export async function runGcov(dump: GcovDump, gcovDir: string, tree: string): Promise<Coverage> {
  const work = mkdtempSync(join(tmpdir(), 'uringspec-gcov-'));
  try {
    cpSync(gcovDir, work, { recursive: true });
    const gcda: string[] = [];
    for (const [guest, data] of dump.files) {
      const rel = treeRelative(guest, tree);
      if (!rel || !rel.endsWith('.gcda')) continue;
      mkdirSync(dirname(join(work, rel)), { recursive: true });
      writeFileSync(join(work, rel), data);
      gcda.push(rel);
    }
    if (gcda.length === 0) return new Map();
    return await gcovJson(work, gcda.sort());
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** gcov of every .gcno with no counts: which lines are executable, their branches and functions. */
export async function baselineCoverage(gcovDir: string): Promise<Coverage> {
  const gcno = (readdirSync(gcovDir, { recursive: true }) as string[]).filter((f) => f.endsWith('.gcno')).sort();
  return gcno.length ? gcovJson(gcovDir, gcno) : new Map();
}

async function gcovJson(cwd: string, files: string[]): Promise<Coverage> {
  // stdout alone: gcov's warnings on stderr must not split a JSON line.
  const { stdout } = await promisify(execFile)('gcov', ['-b', '--json-format', '--stdout', ...files], { cwd, maxBuffer: 1 << 30 }).catch((e) => {
    throw new Error(`gcov failed: ${String(e.stderr ?? e.message).trim().split('\n').slice(-3).join(' | ')}`);
  });
  return coverageFromGcov(parseGcovOutput(stdout));
}
