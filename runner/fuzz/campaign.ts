import fc from 'fast-check';
import type { Case, Spec } from '../../spec/types.js';
import { prepareCase, type PreparedCase } from '../prepareCase.js';
import type { Verdict } from '../verdict.js';
import { interrupted } from '../interrupt.js';
import { duration, progressLine } from '../progressLine.js';
import { isFailure, type FuzzTarget } from './target.js';

/**
 * A seeded campaign. Chains come in chunks: chunk k is fc.sample(arb, { seed: seed + k }), so chain j
 * of chunk k is what `fc.check(property, { seed: seed + k, path: String(j) })` runs first, and that
 * seed and path replay it (and shrink it). Chains are sent to the target's executor ahead of the one
 * running, up to its window, and judged in order.
 */
export interface CampaignOptions {
  seed: number;
  runs?: number;
  timeSec?: number;
  /** chains per seed */
  chunk?: number;
  /** run only the chunks k with k % count === index */
  shard?: { index: number; count: number };
  /** stop once this many distinct failures are found */
  maxFailures?: number;
  onProgress?: (line: string) => void;
}

export interface Failure {
  /** the seed and fast-check path that replay it */
  seed: number;
  path: string;
  c: Case;
  verdict: Verdict;
  signature: string;
}

export interface CampaignResult { ran: number; failures: Failure[]; duplicates: number; ms: number; stoppedBy: 'runs' | 'time' | 'interrupt' | 'failures' }

/** What makes two failures the same for a campaign: how it failed, without the numbers. */
export function signatureOf(v: Verdict): string {
  const first = v.kind === 'finding' ? v.outcome.findings[0]?.kind ?? '' : v.report?.mismatches[0] ?? v.reason;
  // "-125 (ECANCELED)" and "-4 (EINTR)" alike, "(NOP)" and "(READ)" not
  return `${v.kind}: ${first.replace(/(-?\d+) \(E[A-Z0-9]+\)/g, '$1').replace(/-?\d+/g, 'N')}`;
}

/** A verdict of a chain the target did not finish because Ctrl-C stopped it. */
export const killedByInterrupt = (v: Verdict): boolean => interrupted() && v.outcome.status !== 'exited';

export async function campaign(spec: Spec, target: FuzzTarget, arb: fc.Arbitrary<Case>, o: CampaignOptions): Promise<CampaignResult> {
  const started = Date.now();
  const chunk = o.chunk ?? 1000;
  const deadline = o.timeSec !== undefined ? started + o.timeSec * 1000 : Infinity;
  const runs = o.runs ?? Infinity;
  const failures: Failure[] = [];
  const signatures = new Set<string>();
  let ran = 0;
  let duplicates = 0;
  let lastSaid = started;
  const say = (force = false) => {
    const now = Date.now();
    if (!force && now - lastSaid < 1000) return;
    lastSaid = now;
    const what = `${failures.length} failures${duplicates ? ` (+${duplicates} alike)` : ''}`;
    if (Number.isFinite(runs)) {
      o.onProgress?.(`fuzz: ${progressLine({ done: ran, total: runs, elapsedMs: now - started, unit: 'chains', what })}`);
      return;
    }
    // --time: the budget says how long is left
    const rate = ran / Math.max(0.001, (now - started) / 1000);
    o.onProgress?.(`fuzz: [${ran}] ${rate >= 10 ? rate.toFixed(0) : rate.toFixed(1)} chains/s, ${duration((deadline - now) / 1000)} left, ${what}`);
  };
  const stop = (): CampaignResult['stoppedBy'] | undefined =>
    interrupted() ? 'interrupt' : ran >= runs ? 'runs' : Date.now() >= deadline ? 'time' : failures.length >= (o.maxFailures ?? Infinity) ? 'failures' : undefined;
  for (let k = 0; stop() === undefined; k++) {
    if (o.shard && k % o.shard.count !== o.shard.index) continue;
    const seed = o.seed + k;
    const n = Math.min(chunk, runs - ran);
    const cases = fc.sample(arb, { seed, numRuns: n });
    const inflight: { j: number; pc: PreparedCase; v: Promise<Verdict> }[] = [];
    const judge = async () => {
      const { j, v } = inflight.shift()!;
      const verdict = await v;
      // after Ctrl-C the executor (or QEMU) was killed on purpose: what it had not finished is no failure
      if (killedByInterrupt(verdict)) return;
      ran++;
      if (isFailure(verdict)) {
        const signature = signatureOf(verdict);
        if (signatures.has(signature)) duplicates++;
        else {
          signatures.add(signature);
          failures.push({ seed, path: String(j), c: cases[j]!, verdict, signature });
          o.onProgress?.(`fuzz: chain ${j} of seed ${seed} failed: ${verdict.kind}: ${verdict.reason.split('\n')[0]}`);
        }
      }
      say();
    };
    for (let j = 0; j < cases.length; j++) {
      if (stop() !== undefined) break;
      const pc = prepareCase(spec, target.profile, `fuzz-${seed}-${j}`, cases[j]!);
      inflight.push({ j, pc, v: target.run(pc) });
      if (inflight.length >= target.window) await judge();
    }
    while (inflight.length) await judge();
  }
  say(true);
  return { ran, failures, duplicates, ms: Date.now() - started, stoppedBy: stop() ?? 'runs' };
}
