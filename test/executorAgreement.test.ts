import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../spec/load/loadSpec.js';
import { linkedChain } from '../generators/linkedChain.js';
import { prepareCase } from '../runner/prepareCase.js';
import { compileMany } from '../runner/compile/compileMany.js';
import { runHost } from '../runner/host/runHost.js';
import { runOnHostExecutor } from '../runner/executor/runOnHost.js';
import { cacheDir } from '../runner/context.js';

const spec = loadSpec();
const host = spec.profiles['upstream-6.18']!;
const rfc = spec.profiles['rfc-v1-6.12']!;

/** What a run saw, in a form two runs of the same chain can be compared by: per user_data, its res values in order. */
function seen(report: { submitted: number[]; cqes: { user_data: number; res: number; flags: number }[] } | undefined) {
  if (!report) return undefined;
  const by = new Map<number, [number, number][]>();
  for (const q of report.cqes) by.set(q.user_data, [...(by.get(q.user_data) ?? []), [q.res, q.flags]]);
  return { submitted: report.submitted, cqes: [...by.entries()].sort((a, b) => a[0] - b[0]) };
}

describe('one exec form, two consumers', () => {
  it('the executor and the standalone reproducers agree on 300 generated host chains', async () => {
    const cases = fc.sample(linkedChain(spec, host), { seed: 500, numRuns: 300 }).map((c, i) => prepareCase(spec, host, `gen/host-${i}`, c));
    const standalone = await runHost(cases, { cacheDir: cacheDir(), jobs: 2, timeoutMs: 20_000 });
    const executor = await runOnHostExecutor(cases, { spec, cacheDir: cacheDir(), timeoutMs: 20_000 });
    const differ = cases.flatMap((pc, i) => {
      const a = standalone[i]!;
      const b = executor[i]!;
      if (a.kind !== b.kind) return [`${pc.id}: standalone ${a.kind} (${a.reason}), executor ${b.kind} (${b.reason})`];
      // where the oracle fixed every result (eq), both runs saw the same CQEs
      const fixed = pc.c.expect.cqes.every((q) => 'eq' in q.res || 'absent' in q.res);
      if (a.kind === 'pass' && fixed && JSON.stringify(seen(a.report)) !== JSON.stringify(seen(b.report))) return [`${pc.id}: saw different CQEs`];
      return [];
    });
    expect(differ).toEqual([]);
    // not a vacuous agreement: most chains ran and passed both ways
    expect(executor.filter((v) => v.kind === 'pass').length).toBeGreaterThan(250);
  }, 900_000);

  it('renders 150 generated spawn chains to C that compiles with -Wall -Wextra -Werror', async () => {
    const cases = fc.sample(linkedChain(spec, rfc, { spawn: true }), { seed: 501, numRuns: 150 }).map((c, i) => prepareCase(spec, rfc, `gen/spawn-${i}`, c));
    const built = await compileMany(cases.map((c) => c.source), { cacheDir: cacheDir(), jobs: 2 });
    const broken = built.flatMap((b, i) => (b instanceof Error ? [`${cases[i]!.id}: ${b.message.split('\n').slice(0, 3).join(' | ')}`] : []));
    expect(broken).toEqual([]);
  }, 900_000);
});
