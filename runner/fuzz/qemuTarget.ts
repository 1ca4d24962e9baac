import type { ProfileSpec, Spec } from '../../spec/types.js';
import type { PreparedCase } from '../prepareCase.js';
import { verdictOf } from '../verdict.js';
import { graceFor } from '../executor/grace.js';
import { toRunOutcome } from '../executor/observation.js';
import { kernelFor, runQemu } from '../vm/runQemu.js';
import { VmRunner } from '../vm/vmRunner.js';
import type { FuzzTarget } from './target.js';

/** The reference kernel in QEMU as a fuzz target: the executor stays up across chains; a confirmation boots the standalone reproducer. */
export async function qemuTarget(spec: Spec, profile: ProfileSpec, o: { cacheDir: string; timeoutMs: number; graceMs: number; kernel?: string; debugKernel?: boolean; onProgress?: (l: string) => void }): Promise<FuzzTarget> {
  const k = await kernelFor({ profile, cacheDir: o.cacheDir, jobs: 2, timeout: o.timeoutMs / 1000, ...(o.kernel ? { kernel: o.kernel } : {}), ...(o.debugKernel ? { debugKernel: true } : {}), ...(o.onProgress ? { onProgress: o.onProgress } : {}) });
  const vm = await VmRunner.start({
    spec, kernel: k.bzImage, genInitCpio: k.genInitCpio, cacheDir: o.cacheDir, timeoutMs: o.timeoutMs,
    grace: (f) => graceFor(f, o.graceMs), ...(o.debugKernel ? { debugKernel: true } : {}), ...(o.onProgress ? { onProgress: o.onProgress } : {}),
  });
  return {
    name: `qemu ${k.bzImage}`,
    profile,
    window: 16,
    run: async (pc: PreparedCase) => verdictOf(pc.id, pc.c, toRunOutcome(await vm.run(pc.form)), pc.divergence),
    standalone: async (pc: PreparedCase) => (await runQemu([pc], { profile, kernel: k.bzImage, cacheDir: o.cacheDir, jobs: 1, timeout: o.timeoutMs / 1000 }))[0]!,
    stop: () => vm.stop(),
  };
}
