import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../spec/load/loadSpec.js';
import { loadCases } from '../runner/corpus.js';
import { notApplicable } from '../runner/selectCases.js';
import { prepareCase } from '../runner/prepareCase.js';
import { DEFAULT_SERIES } from '../runner/vm/runQemu.js';
import { runOnVmExecutor } from '../runner/vm/runOnVm.js';
import { cacheDir } from '../runner/context.js';
import { verdictFlips } from '../runner/verdictChecks.js';
import type { Verdict } from '../runner/verdict.js';

const spec = loadSpec();
const series = process.env.URINGSPEC_SERIES ?? DEFAULT_SERIES;
const canBoot = existsSync('/usr/bin/qemu-system-x86_64') && (existsSync(series) || process.env.URINGSPEC_KERNEL !== undefined);
const RUNS = 3;

/**
 * A case's verdict on a given kernel must not depend on timing: the spawn cases run three times on the plain
 * reference kernel, each run in a boot of its own (a WARN_ON_ONCE fires once per boot), as three `uringspec run`
 * would. A case whose verdict kind changes fails the test, unless a divergence of the profile it meets is marked
 * `racy` (with the reason), which is printed instead.
 */
describe.skipIf(!canBoot)('verdicts of the cases that spawn, on the RFC reference kernel', () => {
  it(`are the same kind in ${RUNS} runs`, async () => {
    const profile = spec.profiles['rfc-v1-6.12']!;
    // the spawn corpus, and every other case whose chain spawns a task (fixed files, personalities, ...)
    const prepared = loadCases(spec).filter(({ c }) => !notApplicable(c, profile, 'qemu')).map(({ id, c }) => prepareCase(spec, profile, id, c))
      .filter((p) => p.id.startsWith('spawn/') || (p.c.expect.spawn?.tasks.length ?? 0) > 0);
    const runs: Verdict[][] = [];
    for (let i = 0; i < RUNS; i++) {
      runs.push(await runOnVmExecutor(prepared, {
        spec, profile, series, cacheDir: cacheDir(), timeoutMs: 20_000,
        ...(process.env.URINGSPEC_KERNEL ? { kernel: process.env.URINGSPEC_KERNEL } : {}),
        onProgress: (l) => process.stderr.write(`qemu run ${i + 1}/${RUNS}: ${l}\n`),
      }));
    }
    const { unstable, racy } = verdictFlips(runs, profile);
    for (const r of racy) process.stderr.write(`racy on ${profile.name}: ${r.id}: ${r.kinds.join(', ')} (${r.racy})\n`);
    expect(unstable.map((u) => `${u.id}: ${u.kinds.join(', ')}`)).toEqual([]);
  }, 3_000_000);
});
