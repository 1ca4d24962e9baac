/**
 * npm run bench: throughputs, and ratios of two things measured side by side in this one run, so that
 * the machine's speed cancels out. Progress goes to stderr, results to stdout, each with the target
 * the executor issue set for it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { loadSpec } from '../spec/load/loadSpec.js';
import type { Case, Spec } from '../spec/types.js';
import { linkedChain } from '../generators/linkedChain.js';
import { prepareCase } from '../runner/prepareCase.js';
import { compileCase } from '../runner/compile/compileCase.js';
import { cacheDir } from '../runner/context.js';
import { findKernel } from '../runner/qemu/findKernel.js';
import { runQemu } from '../runner/vm/runQemu.js';
import { runOnHostExecutor } from '../runner/executor/runOnHost.js';
import { runOnVmExecutor } from '../runner/vm/runOnVm.js';
import { hostTarget } from '../runner/fuzz/hostTarget.js';
import { campaign } from '../runner/fuzz/campaign.js';
import { shrink } from '../runner/fuzz/shrink.js';

const say = (s: string) => process.stderr.write(`bench: ${s}\n`);
const now = () => Number(process.hrtime.bigint()) / 1e6;
const result = (what: string, value: string, target: string) => console.log(`${what}: ${value}  [target: ${target}]`);

const spec = loadSpec();
const host = spec.profiles['upstream-6.18']!;
const rfc = spec.profiles['rfc-v1-6.12']!;
const base = { rules: ['chain.cqe.match-by-user-data'], provenance: { kind: 'hand-written' as const } };
const threeNops = (fixtures: Case['fixtures'] = undefined): Case => ({
  ...base, description: '3 linked NOPs', ring: { entries: 8 }, ...(fixtures ? { fixtures } : {}),
  sqes: [{ op: 'NOP', flags: ['IOSQE_IO_LINK'] }, { op: 'NOP', flags: ['IOSQE_IO_LINK'] }, { op: 'NOP' }],
});

// 1. generation plus oracle, as a campaign does it: sample (the generator predicts to drop racy chains), then prepare
for (const [profile, spawn] of [[host, false], [rfc, true]] as const) {
  const N = 2000;
  const arb = linkedChain(spec, profile, { spawn });
  const t0 = now();
  const cases = fc.sample(arb, { seed: 1, numRuns: N });
  const t1 = now();
  cases.forEach((c, i) => prepareCase(spec, profile, `b${i}`, c));
  const t2 = now();
  result(`generation+oracle (${profile.name}, one core)`, `${Math.round(N / ((t2 - t0) / 1000))} chains/s (sampling ${Math.round(N / ((t1 - t0) / 1000))}/s, preparing ${Math.round(N / ((t2 - t1) / 1000))}/s)`, '>= 20000 chains/s');
}

// 2. the host executor against a bare C loop doing the same work
const bare = await compileCase(readFileSync(fileURLToPath(new URL('./bareLoop.c', import.meta.url)), 'utf8'), { cacheDir: cacheDir() });
const bareRate = (mode: 'reuse' | 'fork', n: number) => {
  const [count, secs] = execFileSync(bare, [mode, String(n)], { encoding: 'utf8' }).trim().split(' ').map(Number);
  return count! / secs!;
};
async function executorRate(c: Case, n: number, grace: number): Promise<number> {
  const pcs = Array.from({ length: n }, (_, i) => prepareCase(spec, host, `b${i}`, c));
  const t0 = now();
  const vs = await runOnHostExecutor(pcs, { spec, cacheDir: cacheDir(), timeoutMs: 20_000, graceMs: () => grace, window: 256 });
  const rate = n / ((now() - t0) / 1000);
  const bad = vs.filter((v) => v.kind !== 'pass').length;
  if (bad) say(`${bad} of ${n} chains did not pass: ${vs.find((v) => v.kind !== 'pass')!.reason}`);
  return rate;
}
{
  await executorRate(threeNops(), 200, 0); // builds the executor, warms up
  const ex = await executorRate(threeNops(), 20_000, 0);
  const reuse = bareRate('reuse', 200_000);
  result('host executor, chains without process effects (3 NOPs, a fresh ring each, shared worker)', `${Math.round(ex)} chains/s vs a bare loop on one reused ring ${Math.round(reuse)}/s: ratio ${(ex / reuse).toFixed(3)}`, '>= 20000 chains/s');
  const exFork = await executorRate(threeNops({ f: { kind: 'file' } }), 2000, 0);
  const fork = bareRate('fork', 2000);
  result('host executor, chains with fd effects (3 NOPs and a file fixture: a child and temp dir each)', `${Math.round(exFork)} chains/s vs a bare fork + ring + 3 NOPs + reap loop ${Math.round(fork)}/s: ratio ${(exFork / fork).toFixed(2)}`, '>= 0.5 of the bare fork loop');
}

// 3. QEMU: the executor against the per-case compile path, on the same chains
const kernel = findKernel({ cacheDir: cacheDir() });
if (!kernel) {
  console.log('qemu: skipped (no cached reference kernel; `npx uringspec kernel build` builds one)');
} else {
  const chains = fc.sample(linkedChain(spec, rfc, { spawn: true }), { seed: 9, numRuns: 300 }).map((c, i) => prepareCase(spec, rfc, `vm-${i}`, c));
  const nops = Array.from({ length: 300 }, (_, i) => prepareCase(spec, rfc, `vmnop-${i}`, threeNops()));
  const vmRate = async (pcs: typeof chains) => {
    const t0 = now();
    await runOnVmExecutor(pcs, { spec, profile: rfc, cacheDir: cacheDir(), timeoutMs: 20_000, kernel: kernel.bzImage });
    return pcs.length / ((now() - t0) / 1000);
  };
  const exNop = await vmRate(nops);
  const exGen = await vmRate(chains);
  // the per-case path on a slice of the same generated chains: static gcc for each, then one boot
  const slice = chains.slice(0, 40).map((pc, i) => prepareCase(spec, rfc, `vmc-${i}-${Date.now()}`, { ...pc.c, description: `${pc.c.description} (${Date.now()})` }));
  const t0 = now();
  await runQemu(slice, { profile: rfc, kernel: kernel.bzImage, cacheDir: cacheDir(), jobs: 2, timeout: 20 });
  const perCase = slice.length / ((now() - t0) / 1000);
  result('qemu executor, 3 NOP chains (boot included)', `${exNop.toFixed(1)} chains/s`, '>= 100 chains/s under TCG');
  result('qemu executor, generated spawn chains (boot included)', `${exGen.toFixed(1)} chains/s vs the per-case compile path ${perCase.toFixed(2)}/s (static gcc per case, initramfs, boot): ratio ${(exGen / perCase).toFixed(1)}`, '>= 100x the per-case path');
}

// 4. the time to find and shrink a planted failure on the live host executor
{
  const planted: Spec = structuredClone(spec);
  planted.ops.NOP!.issue = planted.ops.NOP!.issue.map((r) => (r.when === true ? { ...r, res: 7 } : r));
  const target = await hostTarget(planted, host, { cacheDir: cacheDir(), timeoutMs: 20_000, graceMs: 5 });
  try {
    const arb = linkedChain(planted, host);
    const t0 = now();
    const r = await campaign(planted, target, arb, { seed: 7, runs: 2000, maxFailures: 1 });
    const t1 = now();
    const f = r.failures[0];
    const s = f ? await shrink(planted, target, arb, f.seed, f.path) : undefined;
    const t2 = now();
    result('planted failure (a NOP predicted to give 7)', f && s ? `found after ${r.ran} chains in ${((t1 - t0) / 1000).toFixed(2)} s, shrunk in ${s.steps} steps (${s.c.sqes.length} SQEs left) in ${((t2 - t1) / 1000).toFixed(2)} s` : 'not found', 'found and shrunk in seconds');
  } finally {
    await target.stop();
  }
}
