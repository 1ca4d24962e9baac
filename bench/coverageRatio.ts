/**
 * The cost of coverage (issue 10): the same cases through the VM executor on the plain reference
 * kernel and on the GCOV kernel with a counter reset and dump around each program, steady rates
 * (boots not counted), as a ratio. Both kernels must be cached; nothing is built here.
 */
import type { Spec } from '../spec/types.js';
import type { PreparedCase } from '../runner/prepareCase.js';
import { VmRunner } from '../runner/vm/vmRunner.js';
import { uniformGrace } from '../c-templates/encodeExecForm.js';
import { CoverageVm } from '../runner/coverage/collectCoverage.js';
import { findKernel } from '../runner/qemu/findKernel.js';
import { inLanes } from '../runner/lanes.js';

async function steadyRate(run: (pc: PreparedCase) => Promise<unknown>, cases: PreparedCase[]): Promise<number> {
  const t0 = Date.now();
  await inLanes(cases, 8, run);
  return cases.length / ((Date.now() - t0) / 1000);
}

/** Programs/s on the plain kernel and on the coverage kernel (with dumps), for the same cases; undefined when a kernel is missing. */
export async function coverageCost(spec: Spec, cases: PreparedCase[], cacheDir: string, say: (l: string) => void): Promise<{ plain: number; covered: number; dumps: number } | undefined> {
  const plainKernel = findKernel({ cacheDir, variant: 'plain' });
  const covKernel = findKernel({ cacheDir, variant: 'coverage' });
  if (!plainKernel || !covKernel) return undefined;
  say(`coverage cost: ${cases.length} cases on the plain kernel`);
  const plain = await VmRunner.start({ spec, kernel: plainKernel.bzImage, genInitCpio: plainKernel.genInitCpio, cacheDir, timeoutMs: 20_000, grace: () => uniformGrace(50) });
  let plainRate: number;
  try {
    plainRate = await steadyRate((pc) => plain.run(pc.form), cases);
  } finally {
    await plain.stop();
  }
  say(`coverage cost: the same cases on the GCOV kernel, dumping around each`);
  const cov = await CoverageVm.start({ spec, bzImage: covKernel.bzImage, genInitCpio: covKernel.genInitCpio, cacheDir, timeout: 20 });
  let dumps = 0;
  let covRate: number;
  try {
    covRate = await steadyRate(async (pc) => { if ((await cov.run(pc.form)).dump) dumps++; }, cases);
  } finally {
    await cov.stop();
  }
  return { plain: plainRate, covered: covRate, dumps };
}
