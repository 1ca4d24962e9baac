import type { ProfileSpec, Spec } from '../../spec/types.js';
import type { PreparedCase } from '../prepareCase.js';
import { verdictOf } from '../verdict.js';
import { runHost } from '../host/runHost.js';
import { graceFor } from '../executor/grace.js';
import { startHostExecutor } from '../executor/runOnHost.js';
import { toRunOutcome } from '../executor/observation.js';
import type { FuzzTarget } from './target.js';

/** The host kernel as a fuzz target: one executor for the campaign, per-case gcc for confirmation. */
export async function hostTarget(spec: Spec, profile: ProfileSpec, o: { cacheDir: string; timeoutMs: number; graceMs: number }): Promise<FuzzTarget> {
  const ex = await startHostExecutor({ spec, cacheDir: o.cacheDir, timeoutMs: o.timeoutMs, grace: (f) => graceFor(f, o.graceMs) });
  return {
    name: 'host',
    profile,
    window: 64,
    run: async (pc: PreparedCase) => verdictOf(pc.id, pc.c, toRunOutcome(await ex.session.run(pc.form)), pc.divergence),
    // runHost gives nothing for a case Ctrl-C kept from running
    standalone: async (pc: PreparedCase) => (await runHost([pc], { cacheDir: o.cacheDir, jobs: 1, timeoutMs: o.timeoutMs }))[0]
      ?? { id: pc.id, kind: 'skip', reason: 'interrupted', rules: [], outcome: { status: 'not-run', stdout: [], klog: [], findings: [], ms: 0 } },
    stop: () => ex.stop(),
  };
}
