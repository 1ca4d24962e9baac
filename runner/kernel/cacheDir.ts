import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where kernels and guest binaries are cached: $URINGSPEC_CACHE, else $XDG_CACHE_HOME/uringspec. */
export function defaultCacheDir(): string {
  return process.env.URINGSPEC_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'uringspec');
}
