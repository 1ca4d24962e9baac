import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RunOutput {
  code: number | null;
  stdout: string;
  /** the parsed uringspec-result line */
  result: Record<string, unknown> & { verdict: string; mismatches: string[]; cqes: { user_data: number; res: number }[] };
}

/**
 * For the renderer's tests only: compile C with gcc -Wall -Wextra -Werror -O1 (the runner has
 * compileCase) into a fresh dir under `root`, which the test removes when done.
 */
export function buildC(source: string, root: string, o: { static?: boolean } = {}): string {
  const dir = mkdtempSync(join(root, 'c-'));
  writeFileSync(join(dir, 'case.c'), source);
  const args = ['-Wall', '-Wextra', '-Werror', '-O1', ...(o.static ? ['-static'] : []), '-o', join(dir, 'case'), join(dir, 'case.c'), '-luring'];
  execFileSync('gcc', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return join(dir, 'case');
}

/** Runs a built case, returning its exit code, stdout and result line. */
export function runC(bin: string, env: NodeJS.ProcessEnv = process.env): RunOutput {
  const r = spawnSync(bin, [], { env, encoding: 'utf8', timeout: 20_000 });
  const line = r.stdout.split('\n').find((l) => l.startsWith('uringspec-result: '));
  if (!line) throw new Error(`no result line (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  return { code: r.status, stdout: r.stdout, result: JSON.parse(line.slice('uringspec-result: '.length)) };
}

/**
 * Builds a case program and runs it as the runner does on the host: in a fresh temp dir of its own under root
 * (its TMPDIR), without the exec helper. Throws when the program left anything in that dir.
 */
export function runInTmp(source: string, root: string): RunOutput {
  const bin = buildC(source, root);
  const tmp = mkdtempSync(join(root, 'tmp-'));
  const out = runC(bin, { ...process.env, TMPDIR: tmp, URINGSPEC_HELPER: '' });
  const left = readdirSync(tmp);
  if (left.length) throw new Error(`temp dir left behind: ${left.join(', ')}`);
  return out;
}
