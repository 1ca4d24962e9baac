import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSpec } from '../../spec/load/loadSpec.js';
import type { Spec } from '../../spec/types.js';
import { linkedChain } from '../../generators/linkedChain.js';
import { readCase } from '../../spec/case/parseCase.js';
import { cacheDir } from '../context.js';
import { campaign } from './campaign.js';
import { shrink } from './shrink.js';
import { keep } from './keep.js';
import { hostTarget } from './hostTarget.js';

const spec = loadSpec();
const host = spec.profiles['upstream-6.18']!;
const root = mkdtempSync(join(tmpdir(), 'uringspec-fuzztest-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The spec with one rule planted wrong: a NOP that succeeds is predicted to complete with 7. */
function plantedSpec(): Spec {
  const planted = structuredClone(spec);
  const nop = planted.ops.NOP!;
  nop.issue = nop.issue.map((r) => (r.when === true ? { ...r, res: 7 } : r));
  return planted;
}

describe('fuzzing the host through the executor', { timeout: 600_000 }, () => {
  it('finds a planted mismatch, shrinks it on the live executor and keeps it with a reproducer that fails the same way', async () => {
    const wrong = plantedSpec();
    const target = await hostTarget(wrong, host, { cacheDir: cacheDir(), timeoutMs: 20_000, graceMs: 5 });
    try {
      const arb = linkedChain(wrong, host);
      const r = await campaign(wrong, target, arb, { seed: 7, runs: 400, maxFailures: 1 });
      expect(r.failures.length).toBe(1);
      const f = r.failures[0]!;
      expect(f.verdict.kind).toBe('fail');
      const steps: string[] = [];
      const s = await shrink(wrong, target, arb, f.seed, f.path, (l) => steps.push(l));
      expect(s).toBeDefined();
      // the minimal chain keeps a NOP and little else
      expect(s!.c.sqes.map((q) => q.op)).toContain('NOP');
      expect(s!.c.sqes.length).toBeLessThanOrEqual(Math.min(3, f.c.sqes.length)); // a segment may stay whole
      expect(steps.length).toBe(s!.steps);
      const out = join(root, 'found');
      const k = await keep(wrong, target, s!, { seed: f.seed, out, replay: `uringspec fuzz --seed ${f.seed} --path ${s!.path}` });
      expect(k.reproduced).toBe(true);
      expect(k.standalone.kind).toBe('fail');
      expect(k.standalone.reason).toMatch(/expected 7, got 0/);
      for (const file of k.files) expect(existsSync(file)).toBe(true);
      const kept = readCase(k.files[0]!, spec);
      expect(kept.provenance).toMatchObject({ kind: 'found', seed: f.seed, path: s!.path });
      expect(readFileSync(k.files[1]!, 'utf8')).toContain('#include "liburing.h"');
    } finally {
      await target.stop();
    }
  });

  it('runs a seeded campaign of the real spec with no mismatch', async () => {
    const target = await hostTarget(spec, host, { cacheDir: cacheDir(), timeoutMs: 20_000, graceMs: 5 });
    try {
      const r = await campaign(spec, target, linkedChain(spec, host), { seed: 2026, runs: 1500 });
      expect(r.ran).toBe(1500);
      expect(r.failures.map((f) => `${f.seed}/${f.path}: ${f.verdict.reason}`)).toEqual([]);
    } finally {
      await target.stop();
    }
  });
});
