import type { Coverage, LineCount } from './gcovJson.js';

/** A planted Coverage for tests: file -> line -> [count, branch counts, function]. */
export function planted(files: Record<string, Record<number, [number, number[], string]>>): Coverage {
  const out: Coverage = new Map();
  for (const [file, lines] of Object.entries(files)) {
    const m = new Map<number, LineCount>();
    for (const [line, [count, branches, fn]] of Object.entries(lines)) m.set(Number(line), { count, branches, fn });
    out.set(file, { lines: m, functions: new Map() });
  }
  return out;
}
