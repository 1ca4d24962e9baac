import { join } from 'node:path';
import { readYaml } from '../../spec/load/yamlSource.js';
import type { KnownGap } from './coverageModel.js';

export const KNOWN_GAPS = join(import.meta.dirname, 'knownGaps.yaml');
const FIELDS = ['file', 'function', 'match', 'branches', 'reason'];

/** Reads the list of RFC lines the case model cannot reach yet; a bad entry is one error naming its line and field. */
export function loadKnownGaps(file = KNOWN_GAPS): KnownGap[] {
  const src = readYaml(file);
  const data = src.data ?? [];
  if (!Array.isArray(data)) throw src.error([], 'must be a list of { file, function, match?, branches?, reason }');
  return data.map((g: unknown, i) => {
    if (!g || typeof g !== 'object' || Array.isArray(g)) throw src.error([i], 'must be a map with file, function and reason');
    const e = g as Record<string, unknown>;
    for (const k of Object.keys(e)) if (!FIELDS.includes(k)) throw src.error([i, k], `unknown field (known: ${FIELDS.join(', ')})`, true);
    for (const k of ['file', 'function', 'reason']) if (typeof e[k] !== 'string' || !e[k]) throw src.error([i, k], 'required, a non-empty string');
    if (e.match !== undefined && typeof e.match !== 'string') throw src.error([i, 'match'], 'must be a string (text of the line)');
    if (e.branches !== undefined && typeof e.branches !== 'boolean') throw src.error([i, 'branches'], 'must be true or false');
    return { file: e.file as string, function: e.function as string, reason: e.reason as string, ...(e.match ? { match: e.match as string } : {}), ...(e.branches ? { branches: true } : {}) };
  });
}
