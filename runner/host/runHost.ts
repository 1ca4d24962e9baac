import { mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PreparedCase } from '../prepareCase.js';
import { verdictOf, type Verdict } from '../verdict.js';
import { compileMany } from '../compile/compileMany.js';
import { interrupted, onInterrupt } from '../interrupt.js';
import { progressLine } from '../progressLine.js';
import { execCase } from './execCase.js';
import { findingsIn, KernelLog } from './kmsg.js';

/** A case whose C program does not compile fails, with gcc's first line as the reason. */
export function notBuilt(pc: PreparedCase, e: Error): Verdict {
  return { id: pc.id, kind: 'fail', reason: `does not compile: ${e.message.split('\n')[0]}`, rules: pc.c.rules, outcome: { status: 'not-run', stdout: [], klog: [], findings: [], ms: 0 } };
}

export interface HostRunOptions {
  cacheDir: string;
  jobs: number;
  timeoutMs: number;
  onProgress?: (line: string) => void;
  /** called as each case ends (to stream its KTAP line) */
  onVerdict?: (v: Verdict) => void;
}

/** Resolves when Ctrl-C arrives; the returned function stops listening. */
function interruption(): { stopped: Promise<undefined>; off: () => void } {
  let fire: () => void = () => {};
  const stopped = new Promise<undefined>((r) => { fire = () => r(undefined); });
  return { stopped, off: onInterrupt(fire) };
}

/**
 * Compiles every case in parallel, then runs them one at a time so that kernel log lines can be
 * attributed to the case that was running. On Ctrl-C it stops launching, the running case's process
 * group is killed (execCase), and only the cases that ended on their own are returned.
 */
export async function runHost(cases: PreparedCase[], o: HostRunOptions): Promise<Verdict[]> {
  o.onProgress?.(`compiling ${cases.length} cases`);
  const stop = interruption();
  const binaries = await Promise.race([compileMany(cases.map((c) => c.source), { cacheDir: o.cacheDir, jobs: o.jobs }), stop.stopped]);
  stop.off();
  if (!binaries || interrupted()) return [];
  const scratch = mkdtempSync(join(tmpdir(), 'uringspec-run-'));
  const offScratch = onInterrupt(() => rmSync(scratch, { recursive: true, force: true }));
  const klog = new KernelLog();
  const verdicts: Verdict[] = [];
  const started = Date.now();
  const done = (v: Verdict) => {
    verdicts.push(v);
    o.onVerdict?.(v);
    o.onProgress?.(progressLine({ done: verdicts.length, total: cases.length, elapsedMs: Date.now() - started, what: `${v.kind} ${v.id}` }));
  };
  try {
    for (const [i, pc] of cases.entries()) {
      if (interrupted()) break;
      const bin = binaries[i]!;
      if (bin instanceof Error) {
        done(notBuilt(pc, bin));
        continue;
      }
      // the cache evicts least recently used binaries first (runner/cache)
      try { const now = new Date(); utimesSync(bin, now, now); } catch { /* a read-only cache is fine */ }
      klog.drain();
      klog.mark(`begin ${pc.id}`);
      const run = await execCase(bin, { timeoutMs: o.timeoutMs, tmpdir: scratch });
      if (interrupted()) break; // killed by Ctrl-C: it did not end on its own
      const lines = klog.drain().filter((l) => !l.startsWith('uringspec: begin'));
      done(verdictOf(pc.id, pc.c, { ...run, klog: lines, findings: findingsIn(lines) }, pc.divergence));
    }
  } finally {
    klog.close();
    rmSync(scratch, { recursive: true, force: true });
    offScratch();
  }
  return verdicts;
}
