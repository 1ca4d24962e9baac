import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Spec } from '../../spec/types.js';
import type { PreparedCase } from '../prepareCase.js';
import { progressLine } from '../progressLine.js';
import { verdictOf, type Verdict } from '../verdict.js';
import { helperBinary } from '../vm/helperBinary.js';
import { executorBinary } from './executorBinary.js';
import { ExecutorSession } from './executorSession.js';
import { hostTransport } from './hostTransport.js';
import { toRunOutcome, type ExecObservation } from './observation.js';
import { uniformGrace, type Grace } from '../../c-templates/encodeExecForm.js';

export interface HostExecutorRun {
  spec: Spec;
  cacheDir: string;
  timeoutMs: number;
  /** how long to wait for CQEs that must not come, per program (default: 50 ms for all) */
  grace?: (pc: PreparedCase) => Grace;
  /** programs sent ahead of the one running */
  window?: number;
  onVerdict?: (v: Verdict, i: number) => void;
  onLate?: (afterId: string | undefined, line: string) => void;
  /** counts, rate and time left, at most a few lines a second */
  onProgress?: (line: string) => void;
}

/** A running executor on the host, with its scratch dir; stop() ends it and removes the dir. */
export interface HostExecutor {
  session: ExecutorSession;
  stop(): Promise<void>;
}

export async function startHostExecutor(o: { spec: Spec; cacheDir: string; timeoutMs: number; grace?: (form: PreparedCase['form']) => Grace }): Promise<HostExecutor> {
  const [binary, helper] = await Promise.all([executorBinary(o.spec, o.cacheDir), helperBinary(o.cacheDir)]);
  const scratch = mkdtempSync(join(tmpdir(), 'uringspec-run-'));
  const t = hostTransport({ binary, helper, timeoutMs: o.timeoutMs, tmpdir: scratch });
  const session = new ExecutorSession(t, o.grace);
  const ended = new Promise<void>((res) => t.onEnd(() => res()));
  if (!(await session.ready())) {
    rmSync(scratch, { recursive: true, force: true });
    throw new Error('the executor did not start');
  }
  return {
    session,
    stop: async () => {
      session.close();
      const timer = setTimeout(() => session.kill(), 10_000);
      await ended;
      clearTimeout(timer);
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** Runs prepared cases through one executor on the host, in order; verdicts as the cases end. */
export async function runOnHostExecutor(cases: PreparedCase[], o: HostExecutorRun): Promise<Verdict[]> {
  const byForm = new Map(cases.map((pc) => [pc.form, pc]));
  const ex = await startHostExecutor({ spec: o.spec, cacheDir: o.cacheDir, timeoutMs: o.timeoutMs, grace: (f) => (o.grace ? o.grace(byForm.get(f)!) : uniformGrace(50)) });
  if (o.onLate) ex.session.onLate = o.onLate;
  const window = o.window ?? 64;
  const verdicts: Verdict[] = new Array(cases.length);
  const started = Date.now();
  let done = 0;
  let said = 0;
  try {
    let next = 0;
    const inflight: Promise<void>[] = [];
    const submit = (i: number) => ex.session.run(cases[i]!.form).then((obs: ExecObservation) => {
      const pc = cases[i]!;
      const v = verdictOf(pc.id, pc.c, toRunOutcome(obs), pc.divergence);
      verdicts[i] = v;
      o.onVerdict?.(v, i);
      done++;
      if (o.onProgress && (done === cases.length || Date.now() - said >= 250)) {
        said = Date.now();
        o.onProgress(progressLine({ done, total: cases.length, elapsedMs: Date.now() - started, what: `${v.kind} ${v.id}` }));
      }
    });
    while (next < cases.length) {
      while (next < cases.length && inflight.length < window) inflight.push(submit(next++));
      await inflight.shift();
    }
    await Promise.all(inflight);
  } finally {
    await ex.stop();
  }
  return verdicts;
}
