/**
 * npm run bench: throughput and overhead ratios, each measured within this one run so that the machine's
 * speed cancels out. Progress goes to stderr, results to stdout.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { loadSpec } from '../spec/load/loadSpec.js';
import { linkedChain } from '../generators/linkedChain.js';
import { predict } from '../generators/oracle/predict.js';
import { loadCases } from '../runner/corpus.js';
import { notApplicable } from '../runner/selectCases.js';
import { prepareCase } from '../runner/prepareCase.js';
import { compileMany } from '../runner/compile/compileMany.js';
import { runHost } from '../runner/host/runHost.js';
import { cacheDir } from '../runner/context.js';
import { findKernel } from '../runner/qemu/findKernel.js';
import { runQemuBatch } from '../runner/vm/runQemu.js';

const say = (s: string) => process.stderr.write(`bench: ${s}\n`);
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

const spec = loadSpec();
const host = spec.profiles['upstream-6.18']!;
const rfc = spec.profiles['rfc-v1-6.12']!;

// 1. generation and oracle
const N = 3000;
for (const [profile, spawn] of [[host, false], [rfc, true]] as const) {
  const arb = linkedChain(spec, profile, { spawn });
  let t0 = process.hrtime.bigint();
  const cases = fc.sample(arb, { seed: 1, numRuns: N });
  const genMs = ms(t0);
  t0 = process.hrtime.bigint();
  for (const c of cases) predict(spec, profile, c);
  const oracleMs = ms(t0);
  console.log(`generation+oracle (${profile.name}): ${Math.round(N / ((genMs + oracleMs) / 1000))} chains/s (generation ${Math.round(N / (genMs / 1000))}/s, oracle ${Math.round(N / (oracleMs / 1000))}/s; oracle share ${(oracleMs / (genMs + oracleMs)).toFixed(2)})`);
}

// 2. host corpus run vs a bare loop over the same binaries
const prepared = loadCases(spec).filter(({ c }) => !notApplicable(c, host)).map(({ id, c }) => prepareCase(spec, host, id, c));
say(`compiling ${prepared.length} host cases (cached after the first run)`);
const bins = (await compileMany(prepared.map((p) => p.source), { cacheDir: cacheDir() })).filter((b): b is string => typeof b === 'string');
let t0 = process.hrtime.bigint();
await runHost(prepared, { cacheDir: cacheDir(), jobs: 2, timeoutMs: 20_000 });
const runnerMs = ms(t0);
const scratch = mkdtempSync(join(tmpdir(), 'uringspec-bench-'));
t0 = process.hrtime.bigint();
for (const b of bins) spawnSync(b, { cwd: scratch, env: { ...process.env, TMPDIR: scratch }, stdio: 'ignore' });
const bareMs = ms(t0);
rmSync(scratch, { recursive: true, force: true });
console.log(`host corpus: runner ${Math.round(runnerMs)} ms vs bare loop ${Math.round(bareMs)} ms over ${bins.length} binaries: ratio ${(runnerMs / bareMs).toFixed(2)}`);

// 3. a whole QEMU run vs one boot plus the sum of its cases' own run times
const kernel = findKernel({ cacheDir: cacheDir() });
if (!kernel) {
  console.log('qemu: skipped (no cached reference kernel; run `npx uringspec kernel build --series FILE` first)');
} else {
  const vmCases = loadCases(spec).filter(({ c }) => !notApplicable(c, rfc) && !(c.flags ?? []).includes('slow')).map(({ id, c }) => prepareCase(spec, rfc, id, c));
  say(`compiling ${vmCases.length} cases statically and booting ${kernel.bzImage}`);
  const { vm: r } = await runQemuBatch(vmCases, { profile: rfc, kernel: kernel.bzImage, cacheDir: cacheDir(), jobs: 2, timeout: 20, isolateAfterFinding: false });
  const sumCases = r.results.reduce((a, x) => a + x.ms, 0);
  const oneBoot = Math.min(...r.bootMs);
  console.log(`qemu: whole run ${Math.round(r.totalMs)} ms for ${r.results.length} cases in ${r.boots} boot(s) vs one boot ${Math.round(oneBoot)} ms + cases ${Math.round(sumCases)} ms: ratio ${(r.totalMs / (oneBoot + sumCases)).toFixed(2)}`);
}
