import { availableParallelism } from 'node:os';
import { compileCase, type CompileOptions } from './compileCase.js';

/**
 * Compiles many rendered cases, at most `jobs` gcc processes at a time (default: one per CPU).
 * Returns one entry per source, in order: the binary's path, or the Error for that source,
 * so that one case that does not build costs only that case.
 */
export async function compileMany(sources: string[], o: CompileOptions & { jobs?: number }): Promise<(string | Error)[]> {
  const results: (string | Error)[] = new Array(sources.length);
  let next = 0;
  const worker = async () => {
    while (next < sources.length) {
      const i = next++;
      try {
        results[i] = await compileCase(sources[i]!, o);
      } catch (e) {
        results[i] = e instanceof Error ? e : new Error(String(e));
      }
    }
  };
  const jobs = Math.max(1, Math.min(o.jobs ?? availableParallelism(), sources.length));
  await Promise.all(Array.from({ length: jobs }, worker));
  return results;
}
