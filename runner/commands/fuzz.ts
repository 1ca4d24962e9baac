import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Case } from '../../spec/types.js';
import { EnvironmentError } from '../../spec/load/inputError.js';
import { linkedChain } from '../../generators/linkedChain.js';
import { writeCase } from '../../spec/case/writeCase.js';
import { cacheDir, progress, theSpec } from '../context.js';
import { prepareCase } from '../prepareCase.js';
import { runHost } from '../host/runHost.js';
import { runQemu } from '../vm/runQemu.js';
import { targetProfile } from '../targetProfile.js';
import type { Verdict } from '../verdict.js';

export interface FuzzOptions { target: string; seed: number; runs?: number; time?: number; path?: string; profile?: string; kernel?: string; out: string }

/**
 * A fast-check property: every generated chain, run on the target, gives what the oracle predicts
 * (or its profile's known divergence). A failure is shrunk, kept under --out as a case and its C
 * reproducer, and printed with the seed and path that replay it.
 */
export async function fuzzCommand(o: FuzzOptions) {
  if (o.runs === undefined && o.time === undefined && o.path === undefined) throw new EnvironmentError('fuzz needs --runs N or --time SEC');
  const spec = theSpec();
  const profile = await targetProfile(spec, o.target, o.profile);
  const spawn = profile.target === 'qemu';
  let n = 0;
  const runOne = async (c: Case): Promise<Verdict> => {
    const pc = prepareCase(spec, profile, `fuzz-${o.seed}-${n++}`, c);
    const [v] = o.target === 'host'
      ? await runHost([pc], { cacheDir: cacheDir(), jobs: 1, timeoutMs: 20_000 })
      : await runQemu([pc], { profile, ...(o.kernel ? { kernel: o.kernel } : {}), cacheDir: cacheDir(), jobs: 1, timeout: 20 });
    if (n % 25 === 0) progress(`fuzz: ${n} chains run`);
    return v!;
  };
  const property = fc.asyncProperty(linkedChain(spec, profile, { spawn, allowSqpoll: true }), async (c) => {
    const v = await runOne(c);
    return v.kind === 'pass' || v.kind === 'skip' || v.kind === 'xfail';
  });
  let path = o.path;
  if (o.target === 'qemu' && !path) {
    // a VM boot costs seconds: run the whole campaign in one boot, then shrink the first failure case by case
    const cases = fc.sample(linkedChain(spec, profile, { spawn, allowSqpoll: true }), { seed: o.seed, numRuns: o.runs ?? 200 });
    progress(`fuzz: running ${cases.length} chains in one boot`);
    const prepared = cases.map((c, i) => prepareCase(spec, profile, `fuzz-${o.seed}-${i}`, c));
    const verdicts = await runQemu(prepared, { profile, ...(o.kernel ? { kernel: o.kernel } : {}), cacheDir: cacheDir(), jobs: 2, timeout: 20, onProgress: progress });
    const first = verdicts.findIndex((v) => !['pass', 'skip', 'xfail'].includes(v.kind));
    if (first < 0) {
      process.stdout.write(`${cases.length} passed, 0 failed\n`);
      return { tally: { passed: cases.length, failed: 0, skipped: 0, xfailed: 0 } };
    }
    progress(`fuzz: chain ${first} failed (${verdicts[first]!.reason}); shrinking it, one boot per step`);
    path = String(first);
  }
  const params: fc.Parameters<[Case]> = {
    seed: o.seed, endOnFailure: false,
    ...(path ? { path, numRuns: 1 } : o.runs !== undefined ? { numRuns: o.runs } : { numRuns: 1_000_000, interruptAfterTimeLimit: o.time! * 1000 }),
  };
  const result = await fc.check(property, params);
  if (!result.failed) {
    progress(`fuzz: ${result.numRuns} chains, no mismatch (seed ${o.seed})`);
    process.stdout.write(`${result.numRuns} passed, 0 failed\n`);
    return { tally: { passed: result.numRuns, failed: 0, skipped: 0, xfailed: 0 } };
  }
  const c = result.counterexample![0];
  c.provenance = { kind: 'found', seed: o.seed, path: result.counterexamplePath!, note: `uringspec fuzz --target ${o.target} --seed ${o.seed} --path ${result.counterexamplePath} --profile ${profile.name}` };
  c.description = `found by fuzz: ${c.description}`;
  const v = await runOne(c);
  const name = `fuzz-${o.seed}-${result.counterexamplePath!.replace(/:/g, '-')}`;
  mkdirSync(o.out, { recursive: true });
  writeFileSync(join(o.out, `${name}.yaml`), writeCase({ ...c, expect: prepareCase(spec, profile, name, c).c.expect }));
  writeFileSync(join(o.out, `${name}.c`), prepareCase(spec, profile, `found/${name}`, c).source);
  process.stdout.write(`not ok 1 ${name}\n# ${v.reason}\n# replay: ${c.provenance.note}\n# kept: ${join(o.out, name)}.yaml and .c\n`);
  process.stdout.write(`${result.numRuns - 1} passed, 1 failed\n`);
  return { tally: { passed: result.numRuns - 1, failed: 1, skipped: 0, xfailed: 0 } };
}
