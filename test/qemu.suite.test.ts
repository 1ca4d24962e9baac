import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../spec/load/loadSpec.js';
import { loadCases } from '../runner/corpus.js';
import { notApplicable } from '../runner/selectCases.js';
import { prepareCase } from '../runner/prepareCase.js';
import { DEFAULT_SERIES } from '../runner/vm/runQemu.js';
import { runOnVmExecutor } from '../runner/vm/runOnVm.js';
import { cacheDir } from '../runner/context.js';

const spec = loadSpec();
const series = process.env.URINGSPEC_SERIES ?? DEFAULT_SERIES;
const canBoot = existsSync('/usr/bin/qemu-system-x86_64') && (existsSync(series) || process.env.URINGSPEC_KERNEL !== undefined);

describe.skipIf(!canBoot)('the corpus in QEMU on the RFC reference kernel', () => {
  it('builds or reuses the kernel, runs every applicable case, and finds no unexplained mismatch', async () => {
    const profile = spec.profiles['rfc-v1-6.12']!;
    const cases = loadCases(spec).filter(({ c }) => !notApplicable(c, profile, 'qemu'));
    const prepared = cases.map(({ id, c }) => prepareCase(spec, profile, id, c));
    const verdicts = await runOnVmExecutor(prepared, {
      spec, profile, series, cacheDir: cacheDir(), timeoutMs: 20_000,
      ...(process.env.URINGSPEC_KERNEL ? { kernel: process.env.URINGSPEC_KERNEL } : {}),
      onProgress: (l) => process.stderr.write(`qemu: ${l}\n`),
    });
    // a finding (WARN, BUG, KASAN, hang, crash) on the RFC kernel is an expected outcome; a plain mismatch is not
    const unexplained = verdicts.filter((v) => v.kind === 'fail').map((v) => `${v.id}: ${v.reason}`);
    expect(unexplained).toEqual([]);
    const ran = verdicts.filter((v) => v.kind !== 'skip');
    expect(ran.length).toBeGreaterThan(cases.length / 2);
    const exercised = new Set(ran.flatMap((v) => v.rules));
    const spawnRules = [...spec.rules.values()].filter((r) => r.kind === 'spawn' || r.op === 'CLONE' || r.op === 'EXEC').map((r) => r.id);
    const notExercised = spawnRules.filter((id) => !exercised.has(id));
    expect(notExercised).toEqual([]);
  }, 3_000_000);
});
