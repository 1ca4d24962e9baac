import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../spec/load/loadSpec.js';
import { setupViolations } from '../spec/setupFlags.js';
import { ringSetup } from './ringSetup.js';

const spec = loadSpec();

describe('ringSetup', () => {
  it.each(Object.values(spec.profiles).map((p) => [p.name, p] as const))('draws only setups io_uring_setup() accepts on %s, and draws every supported flag', (_n, profile) => {
    const setups = fc.sample(ringSetup(spec.ring, profile), { seed: 7, numRuns: 2000 });
    for (const s of setups) expect(setupViolations(spec.ring, s.flags ?? []), JSON.stringify(s)).toEqual([]);
    const seen = new Set(setups.flatMap((s) => s.flags ?? []));
    expect([...seen].sort()).toEqual([...profile.setup_flags].sort());
    expect(setups.some((s) => s.flags?.includes('IORING_SETUP_TASKRUN_FLAG') && s.flags.includes('IORING_SETUP_DEFER_TASKRUN'))).toBe(true);
  });
});
