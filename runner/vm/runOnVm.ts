import type { ProfileSpec, Spec } from '../../spec/types.js';
import type { PreparedCase } from '../prepareCase.js';
import { progressLine } from '../progressLine.js';
import { verdictOf, type Verdict } from '../verdict.js';
import { toRunOutcome } from '../executor/observation.js';
import { uniformGrace, type Grace } from '../../c-templates/encodeExecForm.js';
import { kernelFor } from './runQemu.js';
import { VmRunner } from './vmRunner.js';

export interface VmExecutorRun {
  spec: Spec;
  profile: ProfileSpec;
  cacheDir: string;
  /** per case, in the guest */
  timeoutMs: number;
  kernel?: string;
  series?: string;
  debugKernel?: boolean;
  onVerdict?: (v: Verdict, i: number) => void;
  onProgress?: (line: string) => void;
  /** a kernel log line that came after the case named had answered: a report no case got */
  onLate?: (afterId: string | undefined, line: string) => void;
  /** programs sent ahead of the one running */
  window?: number;
  /** how long each program waits once what it awaits came (default 50 ms for both phases) */
  grace?: (form: PreparedCase['form']) => Grace;
}

/**
 * Runs prepared cases through the executor in one boot of the reference kernel (more after a crash or a
 * hang), in order; verdicts as the cases end, with progress as counts, rate and time left.
 */
export async function runOnVmExecutor(cases: PreparedCase[], o: VmExecutorRun): Promise<Verdict[]> {
  const k = await kernelFor({ profile: o.profile, cacheDir: o.cacheDir, jobs: 2, timeout: o.timeoutMs / 1000,
    ...(o.kernel ? { kernel: o.kernel } : {}), ...(o.series ? { series: o.series } : {}), ...(o.debugKernel ? { debugKernel: true } : {}), ...(o.onProgress ? { onProgress: o.onProgress } : {}) });
  const vm = await VmRunner.start({
    spec: o.spec, kernel: k.bzImage, genInitCpio: k.genInitCpio, cacheDir: o.cacheDir, timeoutMs: o.timeoutMs,
    grace: o.grace ?? (() => uniformGrace(50)), ...(o.debugKernel ? { debugKernel: true } : {}), ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    ...(o.onLate ? { onLate: o.onLate } : {}),
  });
  const verdicts: Verdict[] = new Array(cases.length);
  const started = Date.now();
  let done = 0;
  try {
    const window = o.window ?? 8;
    let next = 0;
    const inflight: Promise<void>[] = [];
    const submit = (i: number) => vm.run(cases[i]!.form).then((obs) => {
      const pc = cases[i]!;
      const v = verdictOf(pc.id, pc.c, toRunOutcome(obs), pc.divergence);
      verdicts[i] = v;
      done++;
      o.onProgress?.(progressLine({ done, total: cases.length, elapsedMs: Date.now() - started, what: `${v.kind} ${pc.id}` }));
      o.onVerdict?.(v, i);
    });
    while (next < cases.length) {
      while (next < cases.length && inflight.length < window) {
        const p = submit(next++);
        // a failed boot rejects every program in flight: the first one awaited reports it, the rest are not left unhandled
        p.catch(() => undefined);
        inflight.push(p);
      }
      await inflight.shift();
    }
    await Promise.all(inflight);
  } finally {
    await vm.stop();
  }
  o.onProgress?.(`${cases.length} cases in ${((Date.now() - started) / 1000).toFixed(1)} s, ${vm.boots} boot${vm.boots === 1 ? '' : 's'}`);
  return verdicts;
}
