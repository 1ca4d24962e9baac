import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PreparedCase } from '../prepareCase.js';
import { verdictOf, type Verdict } from '../verdict.js';
import { compileMany } from '../compile/compileMany.js';
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
}

/**
 * Compiles every case in parallel, then runs them one at a time so that kernel log lines can be
 * attributed to the case that was running.
 */
export async function runHost(cases: PreparedCase[], o: HostRunOptions): Promise<Verdict[]> {
  o.onProgress?.(`compiling ${cases.length} cases`);
  const binaries = await compileMany(cases.map((c) => c.source), { cacheDir: o.cacheDir, jobs: o.jobs });
  const scratch = mkdtempSync(join(tmpdir(), 'uringspec-run-'));
  const klog = new KernelLog();
  const verdicts: Verdict[] = [];
  try {
    for (const [i, pc] of cases.entries()) {
      const bin = binaries[i]!;
      if (bin instanceof Error) {
        verdicts.push(notBuilt(pc, bin));
        continue;
      }
      klog.drain();
      klog.mark(`begin ${pc.id}`);
      const run = await execCase(bin, { timeoutMs: o.timeoutMs, tmpdir: scratch });
      const lines = klog.drain().filter((l) => !l.startsWith('uringspec: begin'));
      const outcome = { ...run, klog: lines, findings: findingsIn(lines) };
      const v = verdictOf(pc.id, pc.c, outcome, pc.divergence);
      verdicts.push(v);
      o.onProgress?.(`[${i + 1}/${cases.length}] ${v.kind} ${pc.id}`);
    }
  } finally {
    klog.close();
    rmSync(scratch, { recursive: true, force: true });
  }
  return verdicts;
}
