import { writeFileSync } from 'node:fs';
import { loadCases } from '../corpus.js';
import { cacheDir, progress, theSpec } from '../context.js';
import { notApplicable } from '../selectCases.js';
import { prepareCase } from '../prepareCase.js';
import { runHost } from '../host/runHost.js';
import { IoUringUnavailable } from '../host/detectHost.js';
import { targetProfile } from '../targetProfile.js';
import { runQemu } from '../vm/runQemu.js';
import { closingLine, ktap } from '../ktap.js';
import { tally, type Verdict } from '../verdict.js';
import { junit } from '../junit.js';
import type { ProfileSpec } from '../../spec/types.js';

export interface RunOptions {
  target: 'host' | 'qemu' | string;
  kernel?: string;
  profile?: string;
  series?: string;
  debugKernel?: boolean;
  json?: string;
  junit?: string;
  jobs: number;
  timeout: number;
}

function skipVerdict(id: string, rules: string[], reason: string): Verdict {
  return { id, kind: 'skip', reason, rules, outcome: { status: 'not-run', stdout: [], klog: [], findings: [], ms: 0 } };
}

/** Runs the selected cases on the target and prints KTAP; verdicts are also written as JSON and JUnit. */
export async function runCommand(paths: string[], o: RunOptions) {
  const spec = theSpec();
  const cases = loadCases(spec, paths);
  let profile: ProfileSpec;
  try {
    profile = await targetProfile(spec, o.target, o.profile);
  } catch (e) {
    // io_uring missing, disabled or refused: every case is a SKIP with the reason, then the one-line error
    if (!(e instanceof IoUringUnavailable)) throw e;
    const verdicts = cases.map(({ id, c }) => skipVerdict(id, c.rules, e.message));
    for (const line of ktap(verdicts, 'uringspec host')) process.stdout.write(`${line}\n`);
    process.stdout.write(`${closingLine(tally(verdicts))}\n`);
    throw e;
  }

  const skipped: Verdict[] = [];
  const prepared = cases.flatMap(({ id, c }) => {
    const why = notApplicable(c, profile);
    if (why) { skipped.push(skipVerdict(id, c.rules, why)); return []; }
    return [prepareCase(spec, profile, id, c)];
  });
  progress(`${prepared.length} cases for ${profile.name} on ${o.target}, ${skipped.length} not applicable`);
  const ran = o.target === 'host'
    ? await runHost(prepared, { cacheDir: cacheDir(), jobs: o.jobs, timeoutMs: o.timeout * 1000, onProgress: progress })
    : await runQemu(prepared, { ...o, profile, cacheDir: cacheDir(), onProgress: progress });
  const order = new Map(cases.map(({ id }, i) => [id, i]));
  const verdicts = [...ran, ...skipped].sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  const t = tally(verdicts);
  for (const line of ktap(verdicts, `uringspec ${o.target} ${profile.name}`)) process.stdout.write(`${line}\n`);
  if (t.xfailed) process.stdout.write(`# ${t.xfailed} known divergences (XFAIL)\n`);
  process.stdout.write(`${closingLine(t)}\n`);
  if (o.json) writeFileSync(o.json, JSON.stringify({ target: o.target, profile: profile.name, verdicts }, null, 1));
  if (o.junit) writeFileSync(o.junit, junit(verdicts, `uringspec.${profile.name}`));
  return { tally: t };
}
