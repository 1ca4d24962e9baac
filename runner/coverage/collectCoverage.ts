import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Spec } from '../../spec/types.js';
import type { ExecForm } from '../../c-templates/execForm.js';
import { uniformGrace } from '../../c-templates/encodeExecForm.js';
import type { PreparedCase } from '../prepareCase.js';
import { compileCase } from '../compile/compileCase.js';
import type { ExecObservation } from '../executor/observation.js';
import { VmRunner } from '../vm/vmRunner.js';
import { inLanes } from '../lanes.js';
import { GcovFrameDecoder, type GcovDump } from './gcovFrames.js';

export { GCOVDUMP_GUEST_PATH, GCOV_KERNEL_ARG } from '../vm/vmExecutor.js';

/** The static guest gcovdump, compiled once per content hash. */
export function gcovdumpBinary(cacheDir: string): Promise<string> {
  return compileCase(readFileSync(join(import.meta.dirname, '..', 'guest', 'gcovdump.c'), 'utf8'), { cacheDir, static: true });
}

/** A program's observation with gcovdump's frames taken out of its kernel log, and its dump when one came. */
export interface CoveredObservation { obs: ExecObservation; dump?: GcovDump }

/** Takes a program's gcovdump frames out of its kernel log: its dump (the one it made), and the log without them. */
export function splitDump(obs: ExecObservation): CoveredObservation {
  const d = new GcovFrameDecoder();
  const klog = obs.klog.filter((l) => !d.push(l));
  const dumps = [...d.dumps().values()];
  return { obs: { ...obs, klog }, ...(dumps.length ? { dump: dumps.at(-1)! } : {}) };
}

export interface CoverageVmOptions {
  spec: Spec;
  bzImage: string;
  genInitCpio: string;
  cacheDir: string;
  /** per program, seconds */
  timeout: number;
  onProgress?: (l: string) => void;
}

/**
 * The executor in one boot of the coverage kernel (more after a crash), resetting the counters before
 * each program and dumping them after it: each program's observation comes with its own dump.
 */
export class CoverageVm {
  private constructor(private readonly vm: VmRunner) {}

  static async start(o: CoverageVmOptions): Promise<CoverageVm> {
    const gcovdump = await gcovdumpBinary(o.cacheDir);
    const vm = await VmRunner.start({
      spec: o.spec, kernel: o.bzImage, genInitCpio: o.genInitCpio, cacheDir: o.cacheDir, timeoutMs: o.timeout * 1000,
      grace: () => uniformGrace(50), gcovdump, ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    });
    return new CoverageVm(vm);
  }

  get boots(): number { return this.vm.boots; }

  async run(form: ExecForm): Promise<CoveredObservation> {
    return splitDump(await this.vm.run(form));
  }

  stop(): Promise<void> { return this.vm.stop(); }
}

export interface CoverageRun {
  /** each case's dump by case id (undefined when none arrived) */
  dumps: Map<string, GcovDump | undefined>;
  /** each case's observation, its kernel log cleaned of the frames */
  observations: Map<string, ExecObservation>;
}

/** Runs prepared cases on a coverage VM, in order (the executor runs one program at a time). */
export async function coverCases(vm: CoverageVm, cases: PreparedCase[], onDone?: (done: number) => void): Promise<CoverageRun> {
  const dumps = new Map<string, GcovDump | undefined>(cases.map((c) => [c.id, undefined]));
  const observations = new Map<string, ExecObservation>();
  let done = 0;
  // a few programs ahead, as runOnVm sends them
  await inLanes(cases, 8, async (pc) => {
    const r = await vm.run(pc.form);
    observations.set(pc.id, r.obs);
    dumps.set(pc.id, r.dump);
    onDone?.(++done);
  });
  return { dumps, observations };
}

/** Boots the coverage kernel, runs the cases there and stops it. */
export async function collectCoverage(cases: PreparedCase[], o: CoverageVmOptions): Promise<CoverageRun> {
  const vm = await CoverageVm.start(o);
  try {
    return await coverCases(vm, cases);
  } finally {
    await vm.stop();
  }
}
