import fc from 'fast-check';
import type { Case, ProfileSpec, Spec } from '../../spec/types.js';
import { linkedChain } from '../../generators/linkedChain.js';
import { independentLinks } from '../../generators/independentLinks.js';
import { predictWith } from '../../generators/oracle/predict.js';
import { prepareCase } from '../prepareCase.js';
import { progressLine } from '../progressLine.js';
import { interrupted } from '../interrupt.js';
import type { GcovDump } from './gcovFrames.js';
import { bothNovel, CoverageSignal } from './signal.js';
import type { ExecForm } from '../../c-templates/execForm.js';
import type { CoverageVm } from './collectCoverage.js';

/**
 * A seed's first `cut` SQEs followed by a fresh chain, on the seed's ring, with the seed's fixtures
 * (the fresh chain's for names the seed lacks). Undefined when the two disagree on what a name is.
 */
export function splice(seed: Case, fresh: Case, cut: number): Case | undefined {
  const fixtures = { ...(fresh.fixtures ?? {}) };
  for (const [name, f] of Object.entries(seed.fixtures ?? {})) {
    if (fixtures[name] && fixtures[name]!.kind !== f.kind) return undefined;
    fixtures[name] = f;
  }
  const sqes = [...seed.sqes.slice(0, cut), ...fresh.sqes].slice(0, Math.max(1, seed.ring.entries));
  const flags = [...new Set([...(seed.flags ?? []), ...(fresh.flags ?? [])])];
  return {
    description: `generated chain of ${sqes.length} SQEs: ${sqes.map((s) => s.op).join(' ')} (grown from a seed)`,
    rules: seed.rules, provenance: { kind: 'generated', generated: true },
    ring: seed.ring, fixtures, sqes, ...(flags.length ? { flags } : {}),
  };
}

/**
 * Chains for the next chunk of a guided campaign: fresh ones, and as many grown from the seeds kept so
 * far (a seed's prefix, then a fresh chain), each one the oracle can predict without a race.
 */
export function guidedChains(spec: Spec, profile: ProfileSpec, seeds: Case[], o: { spawn: boolean }): fc.Arbitrary<Case> {
  const fresh = linkedChain(spec, profile, { spawn: o.spawn });
  if (!seeds.length) return fresh;
  const grown = fc.tuple(fc.constantFrom(...seeds), fresh, fc.nat()).map(([s, f, n]) => splice(s, f, n % (s.sqes.length + 1)) ?? f)
    .filter((c) => {
      try {
        return independentLinks(spec, c) && !predictWith(spec, profile, c, false).undetermined;
      } catch {
        return false; // a splice the oracle cannot take (a fixture the seed's prefix needs in another shape)
      }
    });
  return fc.oneof(fresh, grown);
}

/**
 * Runs a program for its coverage: when its dump moves counters no earlier program moved, it runs
 * again, and only what both runs moved counts (a timer or an io-wq worker can take a path once by
 * timing alone). Returns the new words committed to the signal and the first run's dump.
 */
export async function runForSignal(vm: CoverageVm, form: ExecForm, signal: CoverageSignal): Promise<{ fresh: number; dump?: GcovDump }> {
  const first = await vm.run(form);
  if (!first.dump) return { fresh: 0 };
  const once = signal.novel(first.dump);
  if (!once.size) return { fresh: 0, dump: first.dump };
  const again = await vm.run(form);
  const fresh = again.dump ? signal.commit(bothNovel(once, signal.novel(again.dump))) : 0;
  return { fresh, dump: first.dump };
}

export interface GuidedResult {
  ran: number;
  /** the chains that reached something new, with their dumps, in the order they ran */
  seeds: { id: string; c: Case; dump: GcovDump; fresh: number }[];
  ms: number;
}

/**
 * A coverage-guided campaign on a coverage VM for `timeSec`: chunk k is fc.sample(guidedChains(seeds
 * kept before chunk k), { seed: seed + k }); a chain whose dump moved a counter no chain before it moved
 * is kept as a seed, and later chunks grow chains from it.
 */
export async function guidedCampaign(vm: CoverageVm, o: {
  spec: Spec; profile: ProfileSpec; seed: number; timeSec: number; chunk?: number; spawn?: boolean;
  signal?: CoverageSignal; onProgress?: (line: string) => void;
}): Promise<GuidedResult> {
  const signal = o.signal ?? new CoverageSignal();
  const chunk = o.chunk ?? 32;
  const started = Date.now();
  const deadline = started + o.timeSec * 1000;
  const seeds: GuidedResult['seeds'] = [];
  let ran = 0;
  let said = 0;
  for (let k = 0; Date.now() < deadline && !interrupted(); k++) {
    const pool = seeds.map((s) => s.c);
    const chains = fc.sample(guidedChains(o.spec, o.profile, pool, { spawn: o.spawn ?? true }), { seed: o.seed + k, numRuns: chunk });
    const prepared = chains.map((c, j) => prepareCase(o.spec, o.profile, `fuzz/${o.seed + k}/${j}`, c));
    // in order: whether a chain is new depends on the chains before it
    for (const [j, pc] of prepared.entries()) {
      const r = await runForSignal(vm, pc.form, signal);
      ran++;
      if (r.fresh && r.dump) seeds.push({ id: pc.id, c: chains[j]!, dump: r.dump, fresh: r.fresh });
    }
    if (Date.now() - said >= 2000) {
      said = Date.now();
      const elapsed = Date.now() - started;
      const total = Math.max(ran, Math.round((ran * o.timeSec * 1000) / Math.max(1, elapsed)));
      o.onProgress?.(progressLine({ done: ran, total, elapsedMs: elapsed, unit: 'chains', what: `${seeds.length} seeds kept, ${signal.size} counter words reached` }));
    }
  }
  return { ran, seeds, ms: Date.now() - started };
}
