import { closeSync, existsSync, openSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { EnvironmentError } from '../../spec/load/inputError.js';

/** The nearest directory at or above p that exists (where a mkdir -p would start). */
function existingAncestor(p: string): string {
  let d = resolve(p);
  while (!existsSync(d)) d = dirname(d);
  return d;
}

const why = (e: unknown) => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

/**
 * Checks, before any work, that an output file can be written: it is not a directory, and creating it
 * (or opening it for append, which changes nothing) works. An existing file is refused unless `force`
 * when `refuseExisting` is set. The parent directories are created later by the writer; here the nearest
 * existing one must be a writable directory.
 */
export function checkOutputFile(option: string, path: string, o: { force?: boolean; refuseExisting?: boolean } = {}): void {
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) throw new EnvironmentError(`${option} ${path}: is a directory`);
    if (o.refuseExisting && !o.force) throw new EnvironmentError(`${option} ${path}: exists (give --force to overwrite it)`);
    try { closeSync(openSync(path, 'a')); } catch (e) { throw new EnvironmentError(`${option} ${path}: cannot write: ${why(e)}`); }
    return;
  }
  const base = existingAncestor(dirname(path));
  if (!statSync(base).isDirectory()) throw new EnvironmentError(`${option} ${path}: ${base} is not a directory`);
  if (base !== resolve(dirname(path))) return checkDirWritable(option, path, base);
  try {
    closeSync(openSync(path, 'wx'));
    rmSync(path);
  } catch (e) {
    throw new EnvironmentError(`${option} ${path}: cannot write: ${why(e)}`);
  }
}

function checkDirWritable(option: string, path: string, dir: string): void {
  const probe = resolve(dir, `.uringspec-write-check-${process.pid}`);
  try {
    closeSync(openSync(probe, 'wx'));
    rmSync(probe);
  } catch (e) {
    throw new EnvironmentError(`${option} ${path}: cannot write in ${dir}: ${why(e)}`);
  }
}

/** An output directory: absent (it will be made), or empty, or anything with `force`; and writable. */
export function checkOutputDir(option: string, dir: string, o: { force?: boolean } = {}): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new EnvironmentError(`${option} ${dir}: exists and is not a directory`);
    if (!o.force && readdirSync(dir).length) throw new EnvironmentError(`${option} ${dir}: exists and is not empty (give --force to write into it)`);
    return checkDirWritable(option, dir, dir);
  }
  const base = existingAncestor(dir);
  if (!statSync(base).isDirectory()) throw new EnvironmentError(`${option} ${dir}: ${base} is not a directory`);
  checkDirWritable(option, dir, base);
}
