import { describe, expect, it } from 'vitest';
import { kernelPlan } from './kernelPlan.js';
import type { SeriesPatch } from './seriesPatch.js';

const series = { format: 'mbox' as const, patches: [{ index: 1, total: 1, title: 't', diff: 'diff --git a/x b/x\n' } as SeriesPatch] };
const plan = (v: 'plain' | 'debug' | 'coverage') => kernelPlan(series, v, '6.12.118-1');
const value = (v: 'plain' | 'debug' | 'coverage', name: string) => plan(v).settings.find((s) => s.name === name)?.value;

describe('kernelPlan', () => {
  it('gives each variant its own cache entry', () => {
    expect(new Set(['plain', 'debug', 'coverage'].map((v) => plan(v as 'plain').hash)).size).toBe(3);
  });

  it('turns GCOV on only in the coverage variant, with profiling limited to chosen files', () => {
    expect([value('coverage', 'GCOV_KERNEL'), value('coverage', 'DEBUG_FS'), value('coverage', 'GCOV_PROFILE_ALL')]).toEqual(['y', 'y', 'n']);
    expect(value('plain', 'GCOV_KERNEL')).toBeUndefined();
    expect(value('debug', 'GCOV_KERNEL')).toBeUndefined();
    expect(value('coverage', 'KASAN')).toBeUndefined();
  });

  it('hashes the diffs, not the titles or where they came from', () => {
    const retitled = { format: 'public-inbox page' as const, patches: [{ ...series.patches[0], title: 'other', message: 'm' }] };
    expect(kernelPlan(retitled, 'plain', '6.12.118-1').hash).toBe(plan('plain').hash);
  });
});
