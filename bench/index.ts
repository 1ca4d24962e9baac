/**
 * npm run bench: throughputs, and ratios of two things measured side by side in this one run, so that
 * the machine's speed cancels out. Progress goes to stderr (counts, rate, time left), the results to
 * stdout as one table, each row with the target the executor issue (#6) set for it.
 *
 * Rows: generation plus oracle on one core; the host executor, for chains without process effects and
 * for chains with fd effects (one forked child each), each against both bare C loops of bench/bareLoop.c
 * (one reused ring; a fork + ring setup + 3-NOP chain + reap per chain); the VM executor's steady rate
 * (boot not counted, reported on its own row) against the per-case compile path on the same chains; the
 * time to find and shrink a planted failure; the VM executor on the GCOV kernel (a counter dump per program)
 * against the plain kernel on the same cases. The VM rows need a cached reference kernel (never built here).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { loadSpec } from '../spec/load/loadSpec.js';
import type { Case, Spec } from '../spec/types.js';
import { linkedChain } from '../generators/linkedChain.js';
import { prepareCase, type PreparedCase } from '../runner/prepareCase.js';
import { compileCase } from '../runner/compile/compileCase.js';
import { cacheDir } from '../runner/context.js';
import { findKernel } from '../runner/qemu/findKernel.js';
import { progressLine } from '../runner/progressLine.js';
import { runQemuBatch, kernelFor } from '../runner/vm/runQemu.js';
import { VmRunner } from '../runner/vm/vmRunner.js';
import { graceFor } from '../runner/executor/grace.js';
import { runOnHostExecutor } from '../runner/executor/runOnHost.js';
import { hostTarget } from '../runner/fuzz/hostTarget.js';
import { campaign } from '../runner/fuzz/campaign.js';
import { shrink } from '../runner/fuzz/shrink.js';
import { loadCases } from '../runner/corpus.js';
import { notApplicable } from '../runner/selectCases.js';
import { coverageCost } from './coverageRatio.js';

const say = (s: string) => process.stderr.write(`bench: ${s}\n`);
const now = () => Number(process.hrtime.bigint()) / 1e6;
const benchStarted = now();

interface Row { measure: string; value: string; against?: string; ratio?: string; target: string }
const rows: Row[] = [];
const notes: string[] = [];
const row = (r: Row) => { rows.push(r); say(`${r.measure}: ${r.value}${r.against ? ` vs ${r.against}: ${r.ratio}` : ''}`); };
const perSec = (n: number) => (n >= 100 ? `${Math.round(n)}/s` : n >= 10 ? `${n.toFixed(1)}/s` : `${n.toFixed(2)}/s`);
const ratio = (a: number, b: number) => (a / b >= 10 ? `${(a / b).toFixed(0)}x` : a / b >= 1 ? `${(a / b).toFixed(1)}x` : `${(a / b).toPrecision(2)}x`);
/** Progress of one long step: counts, rate and time left, at most once a second. */
const progressOf = (what: string, total: number) => {
  const t0 = Date.now();
  let said = 0;
  return (done: number) => {
    if (done < total && Date.now() - said < 1000) return;
    said = Date.now();
    say(progressLine({ done, total, elapsedMs: Date.now() - t0, unit: 'chains', what }));
  };
};

const spec = loadSpec();
const host = spec.profiles['upstream-6.18']!;
const rfc = spec.profiles['rfc-v1-6.12']!;
const base = { rules: ['chain.cqe.match-by-user-data'], provenance: { kind: 'hand-written' as const } };
const link = ['IOSQE_IO_LINK'];
/** The chain of the bare loops: 3 linked NOPs. With a fixture, the executor gives it a child and a temp dir of its own. */
const threeNops = (fixtures: Case['fixtures'] = undefined): Case => ({
  ...base, description: '3 linked NOPs', ring: { entries: 8 }, ...(fixtures ? { fixtures } : {}),
  sqes: [{ op: 'NOP', flags: link }, { op: 'NOP', flags: link }, { op: 'NOP' }],
});
/** A chain with fd effects: it opens a file under a fixture dir and closes a fixture's fd (cases/openat/create-under-dirfd.yaml, cases/close/close-twice.yaml). */
const openClose: Case = {
  ...base, description: 'OPENAT, CLOSE, NOP', ring: { entries: 8 }, fixtures: { f: { kind: 'file', size: 4 }, d: { kind: 'dir' } },
  sqes: [
    { op: 'OPENAT', flags: link, fields: { fd: { fd: 'd' }, addr: { path: 'f' }, rw_flags: 192, len: 420 } },
    { op: 'CLOSE', flags: link, fields: { fd: { fd: 'f' } } },
    { op: 'NOP' },
  ],
};

// 1. generation plus oracle, as a campaign does it: sample (the generator predicts to drop racy chains), then prepare
for (const [profile, spawn] of [[host, false], [rfc, true]] as const) {
  const N = 2000;
  const arb = linkedChain(spec, profile, { spawn });
  fc.sample(arb, { seed: 2, numRuns: 200 }).forEach((c, i) => prepareCase(spec, profile, `w${i}`, c)); // warm-up (JIT)
  const t0 = now();
  const cases = fc.sample(arb, { seed: 1, numRuns: N });
  const t1 = now();
  cases.forEach((c, i) => prepareCase(spec, profile, `b${i}`, c));
  const t2 = now();
  row({
    measure: `generation+oracle, ${profile.name}${spawn ? ' (spawn chains)' : ''}, one core`,
    value: `${perSec(N / ((t2 - t0) / 1000))} (sampling ${perSec(N / ((t1 - t0) / 1000))}, preparing ${perSec(N / ((t2 - t1) / 1000))})`,
    target: '>= 20000/s',
  });
}

// 2. the host executor against the bare C loops of bench/bareLoop.c, each measured here
const bare = await compileCase(readFileSync(fileURLToPath(new URL('./bareLoop.c', import.meta.url)), 'utf8'), { cacheDir: cacheDir() });
const bareRate = (mode: 'reuse' | 'fork', n: number) => {
  const [count, secs] = execFileSync(bare, [mode, String(n)], { encoding: 'utf8' }).trim().split(' ').map(Number);
  return count! / secs!;
};
async function executorRate(c: Case, n: number, what: string): Promise<number> {
  const pcs = Array.from({ length: n }, (_, i) => prepareCase(spec, host, `b${i}`, c));
  const tick = progressOf(what, n);
  let done = 0;
  const t0 = now();
  const vs = await runOnHostExecutor(pcs, { spec, cacheDir: cacheDir(), timeoutMs: 20_000, grace: (pc) => graceFor(pc.form, 5), window: 256, onVerdict: () => tick(++done) });
  const rate = n / ((now() - t0) / 1000);
  const bad = vs.filter((v) => v.kind !== 'pass');
  if (bad.length) notes.push(`${what}: ${bad.length} of ${n} chains did not pass (${bad[0]!.kind}: ${bad[0]!.reason.split('\n')[0]})`);
  return rate;
}
{
  say('host executor: building and warming up');
  await executorRate(threeNops(), 200, 'warm-up');
  const reuse = bareRate('reuse', 200_000);
  const fork = bareRate('fork', 2000);
  const bareReuse = `bare loop, one reused ring (${perSec(reuse)})`;
  const bareFork = `bare loop, fork + ring + chain + reap (${perSec(fork)})`;
  const rowsFor = (measure: string, rate: number, target: [string, string]) => {
    row({ measure, value: perSec(rate), against: bareReuse, ratio: ratio(rate, reuse), target: target[0] });
    row({ measure: '  same', value: '', against: bareFork, ratio: ratio(rate, fork), target: target[1] });
  };
  rowsFor('host executor, no process effects: 3 NOPs, a fresh ring each, many per child', await executorRate(threeNops(), 20_000, 'no process effects'), ['>= 20000/s', '']);
  rowsFor('host executor, fd effects: 3 NOPs with a file fixture, one child and temp dir each', await executorRate(threeNops({ f: { kind: 'file' } }), 2000, '3 NOPs, child each'), ['', '>= 0.5 of the fork loop']);
  rowsFor('host executor, fd effects: OPENAT + CLOSE + NOP, one child and temp dir each', await executorRate(openClose, 2000, 'open/close, child each'), ['', '>= 0.5 of the fork loop']);
}

// 3. QEMU: the executor's steady rate (after the boot) against the per-case compile path, on the same chains
/** $URINGSPEC_KERNEL, or the cached plain reference kernel (never built here, none built with --extra-patch). */
function cachedPlainKernel(): string | undefined {
  if (process.env.URINGSPEC_KERNEL) return existsSync(process.env.URINGSPEC_KERNEL) ? process.env.URINGSPEC_KERNEL : undefined;
  return findKernel({ cacheDir: cacheDir(), variant: 'plain' })?.bzImage;
}
const kernel = cachedPlainKernel();
if (!kernel) {
  const line = 'qemu rows skipped: no cached plain reference kernel in $URINGSPEC_CACHE/kernel/ (`npx uringspec kernel build` builds one, 7 to 10 minutes)';
  notes.push(line);
  say(line);
} else {
  say(`qemu: ${kernel}`);
  const k = await kernelFor({ profile: rfc, cacheDir: cacheDir(), jobs: 2, timeout: 20, kernel });
  const t0 = now();
  const vm = await VmRunner.start({ spec, kernel: k.bzImage, genInitCpio: k.genInitCpio, cacheDir: cacheDir(), timeoutMs: 20_000, grace: (f) => graceFor(f, 5), onProgress: say });
  const startMs = now() - t0;
  const steady = async (pcs: PreparedCase[], what: string) => {
    const tick = progressOf(what, pcs.length);
    let done = 0;
    const t = now();
    const window = 16;
    const inflight: Promise<unknown>[] = [];
    for (const pc of pcs) {
      inflight.push(vm.run(pc.form).then(() => tick(++done)));
      if (inflight.length >= window) await inflight.shift();
    }
    await Promise.all(inflight);
    return pcs.length / ((now() - t) / 1000);
  };
  let exNop: number, exGen: number, chains: PreparedCase[];
  try {
    const nops = Array.from({ length: 300 }, (_, i) => prepareCase(spec, rfc, `vmnop-${i}`, threeNops()));
    chains = fc.sample(linkedChain(spec, rfc, { spawn: true }), { seed: 9, numRuns: 300 }).map((c, i) => prepareCase(spec, rfc, `vm-${i}`, c));
    exNop = await steady(nops, 'qemu executor, 3 NOPs');
    exGen = await steady(chains, 'qemu executor, generated spawn chains');
  } finally {
    await vm.stop();
  }
  // the per-case path on a slice of the same generated chains: static gcc for each (a new description so that
  // no binary comes from the cache), one initramfs with all of them, one boot
  const stamp = Date.now();
  const slice = chains.slice(0, 40).map((pc, i) => prepareCase(spec, rfc, `vmc-${i}-${stamp}`, { ...pc.c, description: `${pc.c.description} (bench ${stamp})` }));
  say(`per-case compile path: ${slice.length} of the same chains (static gcc each, one initramfs, one boot)`);
  const t1 = now();
  const batch = await runQemuBatch(slice, { profile: rfc, kernel: k.bzImage, cacheDir: cacheDir(), jobs: 2, timeout: 20 });
  const perCaseMs = now() - t1;
  const perCaseBootMs = batch.vm.bootMs.reduce((a, b) => a + b, 0);
  const perCase = slice.length / ((perCaseMs - perCaseBootMs) / 1000);
  const perCaseWithBoot = slice.length / (perCaseMs / 1000);
  row({ measure: 'qemu executor, steady (boot not counted): 3 NOPs', value: perSec(exNop), target: '>= 100/s under TCG' });
  row({ measure: 'qemu executor, steady (boot not counted): generated spawn chains', value: perSec(exGen), against: `per-case compile path, same chains, boot not counted (${perSec(perCase)})`, ratio: ratio(exGen, perCase), target: '>= 100x' });
  row({ measure: '  same', value: '', against: `per-case compile path, boot counted (${perSec(perCaseWithBoot)})`, ratio: ratio(exGen, perCaseWithBoot), target: '' });
  row({ measure: 'qemu boot, executor (initramfs + boot until the executor answers)', value: `${(startMs / 1000).toFixed(1)} s${Math.abs(startMs - vm.bootMs[0]!) >= 100 ? ` (QEMU start to ready line ${(vm.bootMs[0]! / 1000).toFixed(1)} s)` : ''}`, target: '' });
  row({ measure: 'qemu boot, per-case path', value: `${(perCaseBootMs / 1000).toFixed(1)} s in ${batch.vm.boots} boot${batch.vm.boots === 1 ? '' : 's'}`, target: '' });
}

// 3b. the cost of coverage (issue 10): the same corpus cases on the plain kernel and on the GCOV kernel with a dump around each
{
  const cases = loadCases(spec, ['cases/nop', 'cases/spawn']).filter(({ c }) => !notApplicable(c, rfc, 'qemu')).map(({ id, c }) => prepareCase(spec, rfc, id, c));
  const cost = await coverageCost(spec, cases, cacheDir(), say);
  if (!cost) {
    const line = 'coverage row skipped: needs a cached plain and a cached coverage kernel (`npx uringspec kernel build --coverage`)';
    notes.push(line);
    say(line);
  } else {
    row({ measure: `qemu executor on the GCOV kernel, a counter dump per program (${cases.length} nop and spawn cases, ${cost.dumps} dumps)`, value: perSec(cost.covered), against: `the plain kernel, same cases (${perSec(cost.plain)})`, ratio: ratio(cost.covered, cost.plain), target: '' });
  }
}

// 4. the time to find and shrink a planted failure on the live host executor
{
  say('planted failure: a NOP predicted to give 7');
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
    row({ measure: 'planted failure (a NOP predicted to give 7): found', value: f ? `after ${r.ran} chains, ${((t1 - t0) / 1000).toFixed(2)} s` : 'not found', target: 'seconds' });
    row({ measure: 'planted failure: shrunk on the live executor', value: s ? `${((t2 - t1) / 1000).toFixed(2)} s, ${s.steps} steps, ${f!.c.sqes.length} -> ${s.c.sqes.length} SQEs` : 'not shrunk', target: 'seconds' });
  } finally {
    await target.stop();
  }
}

// the table
const head: Row = { measure: 'measure', value: 'rate / time', against: 'against (measured in this run)', ratio: 'ratio', target: 'target' };
const cols: (keyof Row)[] = ['measure', 'value', 'against', 'ratio', 'target'];
const width = Object.fromEntries(cols.map((c) => [c, Math.max(...[head, ...rows].map((r) => (r[c] ?? '').length))])) as Record<keyof Row, number>;
const line = (r: Row) => `| ${cols.map((c) => (r[c] ?? '').padEnd(width[c])).join(' | ')} |`;
console.log(line(head));
console.log(`|${cols.map((c) => '-'.repeat(width[c] + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
for (const n of notes) console.log(`note: ${n}`);
console.log(`bench took ${((now() - benchStarted) / 1000).toFixed(0)} s`);
