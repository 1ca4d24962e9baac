import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { access, constants, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { explainGccFailure } from './explainGccFailure.js';

const run = promisify(execFile);

export interface CompileOptions {
  /** binaries go to <cacheDir>/bin/<sha256>, with the source beside them as <sha256>.c */
  cacheDir: string;
  /** link statically (for a guest without liburing.so) */
  static?: boolean;
  /** the compiler; default gcc */
  cc?: string;
}

/** The flags every case is built with: a rendered case must compile warning-free. */
const CASE_CFLAGS = ['-Wall', '-Wextra', '-Werror', '-O1'];

async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Compiles a rendered case into the content-addressed cache and returns the binary's path.
 * A cached binary is reused. Safe to run in parallel, in one process or several: each build
 * writes to its own temp name and renames into place.
 */
export async function compileCase(source: string, o: CompileOptions): Promise<string> {
  const cc = o.cc ?? 'gcc';
  const flags = [...CASE_CFLAGS, ...(o.static ? ['-static'] : [])];
  const hash = createHash('sha256').update(`${cc}\0${flags.join(' ')}\0${source}`).digest('hex');
  const dir = join(o.cacheDir, 'bin');
  const bin = join(dir, hash);
  if (await exists(bin)) return bin;

  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${hash}.${process.pid}.${randomBytes(4).toString('hex')}`);
  try {
    await writeFile(`${tmp}.c`, source);
    try {
      // LC_ALL=C: plain quotes and English messages, which explainGccFailure matches
      await run(cc, [...flags, '-o', tmp, `${tmp}.c`, '-luring'], { maxBuffer: 16 << 20, env: { ...process.env, LC_ALL: 'C' } });
    } catch (e) {
      // keep the failing source where the message points, and point gcc's lines at it too
      const err = e as NodeJS.ErrnoException & { stderr?: string };
      await rename(`${tmp}.c`, `${bin}.c`).catch(() => {});
      err.stderr = err.stderr?.split(`${tmp}.c`).join(`${bin}.c`);
      throw explainGccFailure(cc, err, `${bin}.c`);
    }
    await rename(`${tmp}.c`, `${bin}.c`);
    await rename(tmp, bin);
    return bin;
  } finally {
    await rm(tmp, { force: true });
    await rm(`${tmp}.c`, { force: true });
  }
}
