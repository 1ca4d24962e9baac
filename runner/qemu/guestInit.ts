import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from '../kernel/runCommand.js';

const SOURCE = join(import.meta.dirname, '..', 'guest', 'init.c');

function gccVersion(): string {
  try {
    return execFileSync('gcc', ['-dumpfullversion'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('gcc not found: it is needed to build the guest /init (apt-get install build-essential)');
  }
}

/** The static guest /init, compiled from runner/guest/init.c and cached by content hash. */
export async function guestInit(cacheDir: string): Promise<string> {
  if (!existsSync(SOURCE)) throw new Error(`guest init source not found: ${SOURCE}`);
  const source = readFileSync(SOURCE);
  const hash = createHash('sha256').update(gccVersion()).update('\0').update(source).digest('hex').slice(0, 16);
  const dir = join(cacheDir, 'guest');
  const binary = join(dir, `init-${hash}`);
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  const tmp = `${binary}.tmp-${process.pid}`;
  try {
    const r = await runCommand('gcc', ['-static', '-O2', '-Wall', '-Wextra', '-Werror', '-o', tmp, SOURCE]);
    if (r.code !== 0) throw new Error(`gcc -static failed on ${SOURCE}: ${r.output.trim().split('\n').slice(0, 3).join(' | ')}`);
    renameSync(tmp, binary);
  } finally {
    rmSync(tmp, { force: true });
  }
  return binary;
}
