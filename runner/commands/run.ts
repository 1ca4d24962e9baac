import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadCases } from '../corpus.js';
import { cacheDir, progress, theSpec } from '../context.js';
import { notApplicable } from '../selectCases.js';
import { prepareCase } from '../prepareCase.js';
import { runHost } from '../host/runHost.js';
import { IoUringUnavailable } from '../host/detectHost.js';
import { targetProfile } from '../targetProfile.js';
import { isBzImage, runQemu, type QemuRunOptions } from '../vm/runQemu.js';
import { runOnHostExecutor } from '../executor/runOnHost.js';
import { runOnVmExecutor } from '../vm/runOnVm.js';
import { writeReproducers } from '../reproducers.js';
import type { PreparedCase } from '../prepareCase.js';
import { ktapWriter } from '../ktap.js';
import { tally, type Verdict } from '../verdict.js';
import { junit } from '../junit.js';
import { endIfInterrupted, interrupted } from '../interrupt.js';
import { parseShard, selectShard, type Shard } from '../shard.js';
import { checkOutputFile } from '../options/checkOutput.js';
import { writeRunFile } from '../runFile.js';
import { enforceCacheCap } from '../cache/enforceCap.js';
import { cacheMax } from '../cache/parseSize.js';
import { EnvironmentError } from '../../spec/load/inputError.js';
import type { ProfileSpec } from '../../spec/types.js';

export interface RunOptions {
  target: 'host' | 'qemu' | string;
  kernel?: string;
  profile?: string;
  series?: string;
  debugKernel?: boolean;
  json?: string;
  junit?: string;
  shard?: string;
  /** run each case as its own compiled C program instead of through the executor */
  standalone?: boolean;
  /** write the C reproducer of every case that does not pass here */
  repro?: string;
  jobs: number;
  timeout: number;
}

function skipVerdict(id: string, rules: string[], reason: string): Verdict {
  return { id, kind: 'skip', reason, rules, outcome: { status: 'not-run', stdout: [], klog: [], findings: [], ms: 0 } };
}

/** Everything the options alone can refuse, before any case is read or compiled. */
function checkRunOptions(o: RunOptions): Shard | undefined {
  if (o.target !== 'host' && o.target !== 'qemu') throw new EnvironmentError(`--target must be host or qemu, not "${o.target}"`);
  if (o.json) checkOutputFile('--json', o.json);
  if (o.junit) checkOutputFile('--junit', o.junit);
  if (o.repro) checkOutputFile('--repro', `${o.repro}/x.c`);
  if (o.kernel !== undefined && existsSync(o.kernel) && !isBzImage(o.kernel)) throw new EnvironmentError(`--kernel ${o.kernel}: not an x86 bzImage (no "HdrS" boot header at 0x202)`);
  cacheMax();
  return o.shard === undefined ? undefined : parseShard(o.shard);
}

function writeOutputs(o: RunOptions, run: { profile: string; shard?: Shard; total: number; verdicts: Verdict[] }): void {
  for (const f of [o.json, o.junit]) if (f) mkdirSync(dirname(f), { recursive: true });
  if (o.json) {
    writeRunFile(o.json, {
      target: o.target, profile: run.profile, ...(run.shard ? { shard: `${run.shard.index}/${run.shard.count}` } : {}),
      total: run.total, ...(interrupted() ? { interrupted: true } : {}), verdicts: run.verdicts,
    });
  }
  if (o.junit) writeFileSync(o.junit, junit(run.verdicts, run.profile));
}

/**
 * Runs the selected cases on the target. KTAP goes to stdout as each case ends (plan line first), so an
 * interrupted run keeps what finished; verdicts are also written as JSON and JUnit at the end.
 */
export async function runCommand(paths: string[], o: RunOptions) {
  const shard = checkRunOptions(o);
  const spec = theSpec();
  const cases = selectShard(loadCases(spec, paths), shard, (c) => c.id);
  const shardTitle = shard ? ` shard ${shard.index}/${shard.count}` : '';
  let profile: ProfileSpec;
  try {
    profile = await targetProfile(spec, o.target, o.profile);
  } catch (e) {
    // io_uring missing, disabled or refused: every case is a SKIP with the reason, then the one-line error
    if (!(e instanceof IoUringUnavailable)) throw e;
    const w = ktapWriter(process.stdout, { title: `uringspec host${shardTitle}`, total: cases.length });
    for (const { id, c } of cases) w.result(skipVerdict(id, c.rules, e.message));
    w.end();
    throw e;
  }

  const w = ktapWriter(process.stdout, { title: `uringspec ${o.target} ${profile.name}${shardTitle}`, total: cases.length });
  const prepared = cases.flatMap(({ id, c }) => {
    const why = notApplicable(c, profile, o.target);
    if (why) { w.result(skipVerdict(id, c.rules, why)); return []; }
    return [prepareCase(spec, profile, id, c)];
  });
  progress(`${prepared.length} cases for ${profile.name} on ${o.target}${shardTitle}, ${cases.length - prepared.length} not applicable`);
  // after Ctrl-C the case that was running was killed with it, and the rest never began: only what ended is kept
  const keep = (v: Verdict) => !interrupted() || (v.outcome.status !== 'crash' && v.outcome.status !== 'not-run');
  const onVerdict = (v: Verdict) => { if (keep(v)) w.result(v); };
  const ran = await runOn(prepared, o, profile, onVerdict).catch((e) => {
    if (interrupted()) return []; // the executor or QEMU killed by Ctrl-C before its first case
    throw e;
  });
  // after Ctrl-C the VM's last case was killed with it, and the rest never began: only what ended is kept
  for (const v of ran) if (v && keep(v)) w.result(v);
  const order = new Map(cases.map(({ id }, i) => [id, i]));
  const verdicts = [...w.written].sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  const t = tally(verdicts);
  w.end(t);
  writeOutputs(o, { profile: profile.name, ...(shard ? { shard } : {}), total: cases.length, verdicts });
  if (o.repro) {
    const files = writeReproducers(o.repro, prepared, verdicts);
    if (files.length) progress(`${files.length} reproducers in ${o.repro}/`);
  }
  endIfInterrupted();
  enforceCacheCap(cacheDir(), { ...(o.kernel ? { inUse: [o.kernel] } : {}), onEvict: progress });
  return { tally: t };
}

/** Through the executor (one process on the host, one boot in QEMU), or each case as its own program. */
function runOn(prepared: PreparedCase[], o: RunOptions, profile: ProfileSpec, onVerdict: (v: Verdict) => void): Promise<Verdict[]> {
  const spec = theSpec();
  const timeoutMs = o.timeout * 1000;
  if (o.standalone) {
    if (o.target === 'host') return runHost(prepared, { cacheDir: cacheDir(), jobs: o.jobs, timeoutMs, onProgress: progress, onVerdict });
    const vmOptions: QemuRunOptions & { onVerdict?: (v: Verdict) => void } = { ...o, profile, cacheDir: cacheDir(), onProgress: progress, onVerdict };
    return runQemu(prepared, vmOptions);
  }
  if (o.target === 'host') return runOnHostExecutor(prepared, { spec, cacheDir: cacheDir(), timeoutMs, onVerdict, onProgress: progress });
  return runOnVmExecutor(prepared, {
    spec, profile, cacheDir: cacheDir(), timeoutMs, onVerdict, onProgress: progress,
    ...(o.kernel ? { kernel: o.kernel } : {}), ...(o.series ? { series: o.series } : {}), ...(o.debugKernel ? { debugKernel: true } : {}),
  });
}
