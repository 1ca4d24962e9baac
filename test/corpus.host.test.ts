import { describe, expect, it } from 'vitest';
import { loadSpec } from '../spec/load/loadSpec.js';
import { loadCases } from '../runner/corpus.js';
import { notApplicable } from '../runner/selectCases.js';
import { prepareCase } from '../runner/prepareCase.js';
import { runHost } from '../runner/host/runHost.js';
import { hostProfile, probeHost } from '../runner/host/detectHost.js';
import { cacheDir } from '../runner/context.js';

const spec = loadSpec();

describe('the curated corpus on the host kernel', () => {
  it('passes every case that applies to the host profile', async () => {
    const profile = hostProfile(spec, await probeHost(cacheDir(), spec.ring.errno));
    const cases = loadCases(spec).filter(({ c }) => !notApplicable(c, profile));
    const verdicts = await runHost(cases.map(({ id, c }) => prepareCase(spec, profile, id, c)), { cacheDir: cacheDir(), jobs: 2, timeoutMs: 30_000 });
    const bad = verdicts.filter((v) => v.kind !== 'pass').map((v) => `${v.id}: ${v.kind} ${v.reason}`);
    expect(bad).toEqual([]);
    expect(verdicts.length).toBeGreaterThanOrEqual(40);
  }, 900_000);
});
