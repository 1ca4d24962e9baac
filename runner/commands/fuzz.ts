import fc from 'fast-check';
import type { Case, ProfileSpec } from '../../spec/types.js';
import { EnvironmentError } from '../../spec/load/inputError.js';
import { linkedChain } from '../../generators/linkedChain.js';
import { guidedChains } from '../coverage/guided.js';
import { loadCases } from '../corpus.js';
import { notApplicable } from '../selectCases.js';
import { cacheDir, progress, theSpec } from '../context.js';
import { targetProfile } from '../targetProfile.js';
import { endIfInterrupted, interrupted } from '../interrupt.js';
import { campaign } from '../fuzz/campaign.js';
import { shrink } from '../fuzz/shrink.js';
import { keep } from '../fuzz/keep.js';
import { hostTarget } from '../fuzz/hostTarget.js';
import type { FuzzTarget } from '../fuzz/target.js';
import type { Tally } from '../verdict.js';
import { parseShard } from '../shard.js';
import { enforceCacheCap } from '../cache/enforceCap.js';

export interface FuzzOptions {
  target: string; seed: number; runs?: number; time?: number; path?: string; profile?: string; kernel?: string; out: string;
  maxFailures?: number; timeout?: number; grace?: number; shard?: string;
  /** case files to grow chains from, besides fresh ones */
  growFrom?: string;
}

async function openTarget(o: FuzzOptions, profile: ProfileSpec): Promise<FuzzTarget> {
  const spec = theSpec();
  const timeoutMs = (o.timeout ?? 20) * 1000;
  if (o.target === 'host') return hostTarget(spec, profile, { cacheDir: cacheDir(), timeoutMs, graceMs: o.grace ?? 5 });
  const { qemuTarget } = await import('../fuzz/qemuTarget.js');
  return qemuTarget(spec, profile, { cacheDir: cacheDir(), timeoutMs, graceMs: o.grace ?? 5, ...(o.kernel ? { kernel: o.kernel } : {}), onProgress: progress });
}

/** A --path names a chain (and shrink steps) of this generator and seed: one that does not is refused before any work. */
function checkPathReplays(arb: fc.Arbitrary<Case>, seed: number, path: string): void {
  // with a property that always fails, the path leads to a chain exactly when it is one of this generator's
  let found: boolean;
  try {
    found = fc.check(fc.property(arb, () => false), { seed, path, numRuns: 1, endOnFailure: true }).failed;
  } catch (e) {
    if (!/Unable to replay/.test(String(e))) throw e;
    found = false;
  }
  if (!found) throw new EnvironmentError(`--path ${path} does not replay with --seed ${seed} on this spec and profile (recorded with other generators, or mistyped)`);
}

/**
 * A fast-check property over generated chains, at executor speed: every chain, run on the target,
 * gives what the oracle predicts (or its profile's known divergence), and the kernel log stays clean.
 * Each distinct failure is shrunk against the same live target, confirmed by its standalone C
 * reproducer, and kept under --out with the seed and path that replay it.
 */
export async function fuzzCommand(o: FuzzOptions) {
  if (o.runs === undefined && o.time === undefined && o.path === undefined) throw new EnvironmentError('fuzz needs --runs N, --time SEC or --path P');
  if (o.target !== 'host' && o.target !== 'qemu') throw new EnvironmentError(`--target must be host or qemu, not "${o.target}"`);
  // a fast-check path: the index of a chain in its seed's sample, then shrink steps, all numbers
  if (o.path !== undefined && !/^\d+(:\d+)*$/.test(o.path)) throw new EnvironmentError(`--path must be numbers joined by ":" (as a campaign prints it), got "${o.path}"`);
  // --shard i/N: chunk k (seed + k) runs on shard k mod N, so N machines share one campaign and each failure keeps its seed
  const shard = o.shard === undefined ? undefined : parseShard(o.shard);
  const spec = theSpec();
  // read before the target starts: a bad seed file is one line, exit 2, before any work
  const grown = o.growFrom === undefined ? undefined : loadCases(spec, [o.growFrom]).map(({ c }) => c);
  if (grown && !grown.length) throw new EnvironmentError(`--grow-from ${o.growFrom}: no case files there`);
  const profile = await targetProfile(spec, o.target, o.profile);
  // a seed that may not run on this target (vm-only on the host, an op the profile lacks) is not grown from
  const seeds = grown?.filter((c) => !notApplicable(c, profile, o.target));
  if (grown && !seeds!.length) throw new EnvironmentError(`--grow-from ${o.growFrom}: none of its ${grown.length} cases may run on ${o.target} with ${profile.name}`);
  const spawn = profile.target === 'qemu';
  // the seeds are fixed for the whole campaign, so a seed and path still replay (and shrink) a chain
  const arb: fc.Arbitrary<Case> = seeds ? guidedChains(spec, profile, seeds, { spawn }) : linkedChain(spec, profile, { spawn, allowSqpoll: true });
  if (o.path !== undefined) checkPathReplays(arb, o.seed, o.path);
  const target = await openTarget(o, profile);
  const say = (l: string) => progress(l);
  const lines: string[] = [];
  const tally: Tally = { passed: 0, failed: 0, skipped: 0, xfailed: 0 };
  let ran = 0;
  try {
    const failures = o.path !== undefined
      ? [{ seed: o.seed, path: o.path }]
      : await campaign(spec, target, arb, { seed: o.seed, ...(o.runs !== undefined ? { runs: o.runs } : {}), ...(o.time !== undefined ? { timeSec: o.time } : {}), maxFailures: o.maxFailures ?? 5, onProgress: say, ...(shard ? { shard: { index: shard.index - 1, count: shard.count } } : {}) })
        .then((r) => {
          ran = r.ran;
          tally.passed = r.ran - r.failures.length - r.duplicates;
          tally.failed = r.failures.length + r.duplicates;
          say(`fuzz: ${r.ran} chains in ${(r.ms / 1000).toFixed(1)} s (${(r.ran / Math.max(r.ms / 1000, 0.001)).toFixed(0)}/s): ${r.failures.length} distinct failures${r.duplicates ? `, ${r.duplicates} more alike` : ''} (stopped by ${r.stoppedBy})`);
          return r.failures;
        });
    let n = 0;
    const replayOf = (seed: number, path: string) => `uringspec fuzz --target ${o.target}${o.kernel ? ` --kernel ${o.kernel}` : ''}${o.growFrom !== undefined ? ` --grow-from ${o.growFrom}` : ''} --seed ${seed} --path ${path} --profile ${target.profile.name}`;
    for (const f of failures) {
      n++;
      // Ctrl-C: what was found and not shrunk yet is still printed, with the seed and path that replay it
      const unshrunk = (why: string) => {
        const v = 'verdict' in f ? f.verdict : undefined;
        lines.push(...(v ? [`# ${v.kind}: ${v.reason.split('\n')[0]}`] : []), `# ${why}; replay: ${replayOf(f.seed, f.path)}`, `not ok ${n} fuzz-${f.seed}-${f.path.replace(/:/g, '-')}`);
      };
      if (interrupted()) { unshrunk('not shrunk (interrupted)'); continue; }
      say(`fuzz: shrinking failure ${n}/${failures.length} (seed ${f.seed}, path ${f.path}) on the live target`);
      const s = await shrink(spec, target, arb, f.seed, f.path, say);
      if (!s) {
        if (interrupted()) unshrunk('not shrunk (interrupted)');
        else lines.push(`# seed ${f.seed} path ${f.path}: did not fail again when replayed`);
        continue;
      }
      if (o.path !== undefined) tally.failed++;
      const replay = replayOf(f.seed, s.path);
      if (s.interrupted) {
        lines.push(`# ${s.verdict.kind}: ${s.verdict.reason.split('\n')[0]}`, `# shrinking interrupted after ${s.steps} steps at ${s.c.sqes.length} SQEs; replay: ${replay}`, `not ok ${n} fuzz-${f.seed}-${s.path.replace(/:/g, '-')}`);
        continue;
      }
      const k = await keep(spec, target, s, { seed: f.seed, out: o.out, replay });
      if (!k.reproduced && interrupted()) {
        lines.push(`# ${s.verdict.kind}: ${s.verdict.reason.split('\n')[0]}`, `# shrunk in ${s.steps} steps to ${s.c.sqes.length} SQEs, not confirmed by its standalone reproducer (interrupted); replay: ${replay}`, `not ok ${n} ${k.name}`);
        continue;
      }
      lines.push(
        `# ${s.verdict.kind}: ${s.verdict.reason.split('\n')[0]}`,
        `# shrunk in ${s.steps} steps to ${s.c.sqes.length} SQEs; replay: ${replay}`,
        k.reproduced ? `# kept: ${k.files.join(' and ')}` : `# not kept: the standalone reproducer gave ${k.standalone.kind}${k.standalone.reason ? ` (${k.standalone.reason.split('\n')[0]})` : ''}`,
        `not ok ${n} ${k.name}`,
      );
    }
    if (o.path !== undefined && !tally.failed) tally.passed = 1;
  } finally {
    await target.stop();
  }
  enforceCacheCap(cacheDir(), { ...(o.kernel ? { inUse: [o.kernel] } : {}), onEvict: say });
  for (const l of lines) process.stdout.write(`${l}\n`);
  if (interrupted()) process.stdout.write(`# interrupted after ${ran} chains\n`);
  process.stdout.write(`${tally.passed} passed, ${tally.failed} failed\n`);
  endIfInterrupted();
  return { tally };
}
