import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EnvironmentError } from '../../spec/load/inputError.js';
import { loadCases } from '../corpus.js';
import { cacheDir, profileNamed, progress, theSpec } from '../context.js';
import { notApplicable } from '../selectCases.js';
import { prepareCase } from '../prepareCase.js';
import { checkOutputFile } from '../options/checkOutput.js';
import { endIfInterrupted } from '../interrupt.js';
import { buildKernel } from '../kernel/buildKernel.js';
import { collectCoverage } from '../coverage/collectCoverage.js';
import { baselineCoverage, runGcov } from '../coverage/runGcov.js';
import { parseAppliedDiff } from '../coverage/rfcLines.js';
import { rulesByFunction } from '../coverage/ruleIndex.js';
import { loadKnownGaps } from '../coverage/knownGaps.js';
import { coverageModel } from '../coverage/coverageModel.js';
import { renderCoverage } from '../coverage/renderCoverage.js';
import type { Coverage } from '../coverage/gcovJson.js';

export interface CoverageOptions { out: string; profile: string; series?: string; jobs: number; timeout: number; force?: boolean }

/**
 * Builds or reuses the coverage kernel, runs the selected cases in one boot with the
 * counters reset before and dumped after each case, and writes the report of which
 * RFC lines and branches they reached.
 */
export async function coverageCommand(paths: string[], o: CoverageOptions): Promise<void> {
  if (o.jobs < 1) throw new EnvironmentError(`--jobs must be at least 1, got ${o.jobs}`);
  if (o.timeout < 1) throw new EnvironmentError(`--timeout must be at least 1 second, got ${o.timeout}`);
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
  const run = await collectCoverage(cases, { bzImage: kernel.bzImage, genInitCpio: kernel.genInitCpio, cacheDir: cacheDir(), jobs: o.jobs, timeout: o.timeout, onProgress: progress });
  endIfInterrupted();
  const baseline = await baselineCoverage(gcovDir);
  const perCase: [string, Coverage][] = [];
  const incomplete: [string, string][] = [];
  let n = 0;
  for (const [id, dump] of run.dumps) {
    if (++n % 25 === 0) progress(`gcov: ${n}/${run.dumps.size} dumps`);
    if (!dump) {
      const r = run.vm.results.find((x) => x.id === id);
      incomplete.push([id, `no coverage dump (case ${r?.status ?? 'not built'}${r?.note ? `: ${r.note}` : ''})`]);
      continue;
    }
    if (!dump.complete) incomplete.push([id, dump.problems.join('; ')]);
    perCase.push([id, await runGcov(dump, gcovDir, tree)]);
  }
  const rfc = parseAppliedDiff(readFileSync(join(gcovDir, 'applied.diff'), 'utf8'));
  const sources = new Map([...rfc.keys()].filter((f) => existsSync(join(gcovDir, f))).map((f) => [f, readFileSync(join(gcovDir, f), 'utf8').split('\n')]));
  const model = coverageModel({ baseline, perCase, rfc, sources, rulesByFunction: rulesByFunction(spec.rules.values()), gaps });
  const command = `npx uringspec coverage${paths.length ? ` ${paths.join(' ')}` : ''} --out ${o.out}`;
  const md = renderCoverage(model, { command, kernel: `${kernel.hash}, ${kernel.variant} variant`, profile: profile.name, incomplete });
  mkdirSync(dirname(o.out), { recursive: true });
  writeFileSync(o.out, md);
  const lines = model.files.reduce((c, f) => [c[0] + f.lines.reached, c[1] + f.lines.total], [0, 0]);
  progress(`${perCase.length} dumps, RFC lines reached ${lines[0]}/${lines[1]}; wrote ${o.out}`);
}
