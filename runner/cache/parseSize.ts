import { EnvironmentError } from '../../spec/load/inputError.js';

const UNITS: Record<string, number> = { '': 1, K: 1 << 10, M: 1 << 20, G: 1 << 30, T: 2 ** 40 };

/** The cache cap when $URINGSPEC_CACHE_MAX is not set. */
export const DEFAULT_CACHE_MAX = '300M';

/** "300M", "2G", "512k", "1.5G" or a byte count, as bytes (powers of 1024, an optional B or iB suffix). */
export function parseSize(text: string, what = '$URINGSPEC_CACHE_MAX'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kKmMgGtT]?)(?:i?[bB])?\s*$/.exec(text);
  if (!m) throw new EnvironmentError(`${what} must be a size such as 300M or 2G, got "${text}"`);
  return Math.round(Number(m[1]) * UNITS[m[2]!.toUpperCase()]!);
}

export function formatSize(bytes: number): string {
  for (const [unit, n] of [['G', UNITS.G!], ['M', UNITS.M!], ['K', UNITS.K!]] as const) {
    if (bytes >= n) return `${(bytes / n).toFixed(bytes >= 10 * n ? 0 : 1)}${unit}`;
  }
  return `${bytes}B`;
}

/** The cap in bytes, from $URINGSPEC_CACHE_MAX or the default. */
export function cacheMax(env: NodeJS.ProcessEnv = process.env): number {
  return parseSize(env.URINGSPEC_CACHE_MAX ?? DEFAULT_CACHE_MAX);
}
