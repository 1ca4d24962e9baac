import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EnvironmentError } from '../../spec/load/inputError.js';
import { loadCases } from '../corpus.js';
import { cacheDir, profileNamed, progress, theSpec } from '../context.js';
import { notApplicable } from '../selectCases.js';
import { prepareCase } from '../prepareCase.js';
import { checkOutputDir, checkOutputFile } from '../options/checkOutput.js';
import { writeSeeds } from '../coverage/seedFiles.js';
import { endIfInterrupted, interrupted } from '../interrupt.js';
import { buildKernel } from '../kernel/buildKernel.js';
import { CoverageVm, coverCases } from '../coverage/collectCoverage.js';
import { guidedCampaign } from '../coverage/guided.js';
import { CoverageSignal } from '../coverage/signal.js';
import { progressLine } from '../progressLine.js';
import { baselineCoverage, runGcov } from '../coverage/runGcov.js';
import { parseAppliedDiff } from '../coverage/rfcLines.js';
import { rulesByFunction } from '../coverage/ruleIndex.js';
import { loadKnownGaps } from '../coverage/knownGaps.js';
import { coverageModel } from '../coverage/coverageModel.js';
import { renderCoverage } from '../coverage/renderCoverage.js';
import type { Coverage } from '../coverage/gcovJson.js';

export interface CoverageOptions {
  out: string; profile: string; series?: string; timeout: number; force?: boolean;
  /** after the cases, a coverage-guided campaign of this many seconds in the same boot */
  fuzzTime?: number;
  seed?: number;
  /** where the campaign's seeds go, as case files (for `fuzz --grow-from`) */
  keepSeeds?: string;
}

/**
 * Builds or reuses the coverage kernel, runs the selected cases in one boot with the
 * counters reset before and dumped after each case, and writes the report of which
 * RFC lines and branches they reached.
 */
export async function coverageCommand(paths: string[], o: CoverageOptions): Promise<void> {
  if (o.timeout < 1) throw new EnvironmentError(`--timeout must be at least 1 second, got ${o.timeout}`);
  if (o.fuzzTime !== undefined && !(Number.isInteger(o.fuzzTime) && o.fuzzTime >= 1)) throw new EnvironmentError(`--fuzz-time must be a whole number of seconds, at least 1, got ${o.fuzzTime}`);
  if (o.seed !== undefined && !Number.isSafeInteger(o.seed)) throw new EnvironmentError(`--seed must be an integer, got ${o.seed}`);
  if (o.keepSeeds !== undefined) {
    if (!o.fuzzTime) throw new EnvironmentError('--keep-seeds needs --fuzz-time (the seeds are what the campaign keeps)');
    checkOutputDir('--keep-seeds', o.keepSeeds);
  }
  checkOutputFile('--out', o.out);
  const spec = theSpec();
  const profile = profileNamed(spec, o.profile);
  if (profile.target !== 'qemu') throw new EnvironmentError(`--profile ${o.profile} is not a QEMU profile: coverage runs in the coverage kernel`);
  const gaps = loadKnownGaps();
  const cases = loadCases(spec, paths).filter(({ c }) => !notApplicable(c, profile, 'qemu')).map(({ id, c }) => prepareCase(spec, profile, id, c));
  if (cases.length === 0) throw new EnvironmentError(`no case applies to ${profile.name}`);
  const kernel = await buildKernel({ ...(o.series ? { series: o.series } : {}), coverage: true, cacheDir: cacheDir(), onProgress: progress });
  progress(`coverage kernel ${kernel.hash} ${kernel.cached ? 'from cache' : 'built'}; ${cases.length} cases`);
  const gcovDir = join(kernel.dir, 'gcov');
  const tree = JSON.parse(readFileSync(join(kernel.dir, 'meta.json'), 'utf8')).tree as string;
  const vm = await CoverageVm.start({ spec, bzImage: kernel.bzImage, genInitCpio: kernel.genInitCpio, cacheDir: cacheDir(), timeout: o.timeout, onProgress: progress });
  const started = Date.now();
  let run: Awaited<ReturnType<typeof coverCases>>;
  let fuzz: Awaited<ReturnType<typeof guidedCampaign>> | undefined;
  const seed = o.seed ?? Date.now() % 2 ** 31;
  const signal = new CoverageSignal();
  try {
    run = await coverCases(vm, cases, (done) => {
      if (done % 10 === 0 || done === cases.length) progress(progressLine({ done, total: cases.length, elapsedMs: Date.now() - started }));
    });
    // the campaign looks for what the cases did not reach: their words count as seen
    for (const d of run.dumps.values()) if (d) signal.add(d);
    if (o.fuzzTime && !interrupted()) {
      progress(`coverage-guided campaign for ${o.fuzzTime} s, seed ${seed}`);
      fuzz = await guidedCampaign(vm, { spec, profile, seed, timeSec: o.fuzzTime, signal, onProgress: progress });
      progress(`campaign: ${fuzz.ran} chains in ${(fuzz.ms / 1000).toFixed(0)} s, ${fuzz.seeds.length} reached something the cases and earlier chains did not`);
      if (o.keepSeeds) progress(`${writeSeeds(o.keepSeeds, fuzz.seeds, seed).length} seeds in ${o.keepSeeds}/ (uringspec fuzz --target qemu --grow-from ${o.keepSeeds} ...)`);
    }
  } finally {
    await vm.stop();
  }
  endIfInterrupted();
  const baseline = await baselineCoverage(gcovDir);
  const perCase: [string, Coverage][] = [];
  const incomplete: [string, string][] = [];
  const entries: [string, ReturnType<typeof run.dumps.get>][] = [...run.dumps, ...(fuzz?.seeds ?? []).map((s) => [s.id, s.dump] as [string, typeof s.dump])];
  let n = 0;
  for (const [id, dump] of entries) {
    if (++n % 25 === 0) progress(`gcov: ${n}/${entries.length} dumps`);
    if (!dump) {
      const obs = run.observations.get(id);
      incomplete.push([id, `no coverage dump (${obs ? `program ${obs.status.kind}${obs.note ? `: ${obs.note}` : ''}` : 'not run'})`]);
      continue;
    }
    if (!dump.complete) incomplete.push([id, dump.problems.join('; ')]);
    perCase.push([id, await runGcov(dump, gcovDir, tree)]);
  }
  const rfc = parseAppliedDiff(readFileSync(join(gcovDir, 'applied.diff'), 'utf8'));
  const sources = new Map([...rfc.keys()].filter((f) => existsSync(join(gcovDir, f))).map((f) => [f, readFileSync(join(gcovDir, f), 'utf8').split('\n')]));
  const model = coverageModel({ baseline, perCase, rfc, sources, rulesByFunction: rulesByFunction(spec.rules.values()), gaps });
  const command = `npx uringspec coverage${paths.length ? ` ${paths.join(' ')}` : ''}${o.fuzzTime ? ` --fuzz-time ${o.fuzzTime} --seed ${seed}` : ''} --out ${o.out}`;
  const md = renderCoverage(model, { command, kernel: `${kernel.hash}, ${kernel.variant} variant`, profile: profile.name, incomplete, ...(fuzz ? { campaign: { ran: fuzz.ran, seeds: fuzz.seeds.length, seconds: o.fuzzTime! } } : {}) });
  mkdirSync(dirname(o.out), { recursive: true });
  writeFileSync(o.out, md);
  const lines = model.files.reduce((c, f) => [c[0] + f.lines.reached, c[1] + f.lines.total], [0, 0]);
  progress(`${perCase.length} dumps, RFC lines reached ${lines[0]}/${lines[1]}; wrote ${o.out}`);
}
