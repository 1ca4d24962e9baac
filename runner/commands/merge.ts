import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { EnvironmentError } from '../../spec/load/inputError.js';
import { progress, theSpec } from '../context.js';
import { renderReport } from '../docs/renderReport.js';
import { junit } from '../junit.js';
import { ktap } from '../ktap.js';
import { checkOutputFile } from '../options/checkOutput.js';
import { readRunFile, writeRunFile, type RunFile } from '../runFile.js';
import { tally } from '../verdict.js';

export interface MergeOptions { ktap?: boolean; json?: string; junit?: string; report?: string; force?: boolean }

/**
 * Joins the runs of several shards into one: they must be of one target and profile, no case may appear
 * twice, and shards missing from a `--shard i/N` set are named on stderr. Pure apart from its input.
 */
export function mergeRuns(runs: { file: string; run: RunFile }[]): { run: RunFile; missing: string[] } {
  const first = runs[0]!;
  const seen = new Map<string, string>();
  for (const { file, run } of runs) {
    if (run.target !== first.run.target || run.profile !== first.run.profile) {
      throw new EnvironmentError(`${file}: a run of ${run.profile} on ${run.target}, but ${first.file} is of ${first.run.profile} on ${first.run.target}`);
    }
    for (const v of run.verdicts) {
      const other = seen.get(v.id);
      if (other) throw new EnvironmentError(`${file}: case ${v.id} is also in ${other} (the same shard given twice?)`);
      seen.set(v.id, file);
    }
  }
  const counts = new Set(runs.map(({ run }) => run.shard?.split('/')[1]).filter(Boolean));
  if (counts.size > 1) throw new EnvironmentError(`the runs are shards of different splits (${[...counts].map((n) => `/${n}`).join(', ')})`);
  const n = Number([...counts][0] ?? 0);
  const have = new Set(runs.map(({ run }) => run.shard?.split('/')[0]));
  const missing = Array.from({ length: n }, (_, i) => String(i + 1)).filter((i) => !have.has(i)).map((i) => `${i}/${n}`);
  const verdicts = runs.flatMap(({ run }) => run.verdicts).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const total = runs.reduce((s, { run }) => s + (run.total ?? run.verdicts.length), 0);
  const interrupted = runs.some(({ run }) => run.interrupted);
  return { run: { target: first.run.target, profile: first.run.profile, total, ...(interrupted ? { interrupted } : {}), verdicts }, missing };
}

/** `uringspec merge a.json b.json ... [--ktap] [--json F] [--junit F] [--report F]`; KTAP on stdout when no output is named. */
export async function mergeCommand(files: string[], o: MergeOptions) {
  for (const [opt, path] of [['--json', o.json], ['--junit', o.junit], ['--report', o.report]] as const) {
    if (path) checkOutputFile(opt, path, { refuseExisting: true, force: o.force ?? false });
  }
  const { run, missing } = mergeRuns(files.map((file) => ({ file, run: readRunFile(file) })));
  if (missing.length) progress(`merge: shards ${missing.join(', ')} missing: their cases are not in the result`);
  const write = (path: string, text: string) => { mkdirSync(dirname(path), { recursive: true }); writeFileSync(path, text); };
  const t = tally(run.verdicts);
  if (o.ktap || !(o.json || o.junit || o.report)) {
    const title = `uringspec ${run.target} ${run.profile}, ${files.length} runs merged`;
    for (const line of ktap(run.verdicts, title)) process.stdout.write(`${line}\n`);
  }
  if (o.json) { mkdirSync(dirname(o.json), { recursive: true }); writeRunFile(o.json, run); }
  if (o.junit) write(o.junit, junit(run.verdicts, run.profile));
  if (o.report) write(o.report, renderReport(theSpec(), run));
  return { tally: t };
}
