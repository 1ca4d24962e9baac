import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ProfileSpec } from '../../spec/types.js';
import { EnvironmentError } from '../../spec/load/inputError.js';
import type { PreparedCase } from '../prepareCase.js';
import { verdictOf, type Verdict } from '../verdict.js';
import { compileMany } from '../compile/compileMany.js';
import { notBuilt } from '../host/runHost.js';
import { buildKernel } from '../kernel/buildKernel.js';
import { DEFAULT_SERIES, seriesMissing } from '../kernel/defaultSeries.js';
import { runInVm, type VmRunResult } from '../qemu/runInVm.js';
import { helperBinary, HELPER_GUEST_PATH } from './helperBinary.js';
import { genInitCpioFor } from './genInitCpioFor.js';

export interface QemuRunOptions {
  profile: ProfileSpec;
  kernel?: string;
  series?: string;
  debugKernel?: boolean;
  cacheDir: string;
  jobs: number;
  timeout: number;
  onProgress?: (line: string) => void;
}

/** The series CI and a fresh clone use when no --series is given: the copy kept in the repo. */
export { DEFAULT_SERIES };

/** An x86 boot image carries the "HdrS" magic of its setup header at offset 0x202 (Documentation/arch/x86/boot.rst). */
export function isBzImage(path: string): boolean {
  try {
    const fd = openSync(path, 'r');
    try {
      const b = Buffer.alloc(4);
      return readSync(fd, b, 0, 4, 0x202) === 4 && b.toString('latin1') === 'HdrS';
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** Builds or reuses the reference kernel, unless the user gave one. */
export async function kernelFor(o: QemuRunOptions): Promise<{ bzImage: string; genInitCpio: string }> {
  if (o.kernel) {
    if (!existsSync(o.kernel)) throw new EnvironmentError(`kernel image not found: ${o.kernel}`);
    if (!isBzImage(o.kernel)) throw new EnvironmentError(`--kernel ${o.kernel}: not an x86 bzImage (no "HdrS" boot header at 0x202)`);
    const beside = join(dirname(o.kernel), 'gen_init_cpio');
    return { bzImage: o.kernel, genInitCpio: existsSync(beside) ? beside : await genInitCpioFor(o.cacheDir, o.onProgress) };
  }
  const series = o.series ?? process.env.URINGSPEC_SERIES ?? DEFAULT_SERIES;
  if (!existsSync(series)) throw seriesMissing(series);
  const k = await buildKernel({ series, debug: o.debugKernel ?? false, cacheDir: o.cacheDir, ...(o.onProgress ? { onProgress: o.onProgress } : {}) });
  o.onProgress?.(`kernel ${k.cached ? 'from cache' : 'built'}: ${k.bzImage}`);
  return k;
}

/** Runs a batch of cases in one QEMU boot (more after a crash), with the exec helper in the initramfs. */
export async function runQemu(cases: PreparedCase[], o: QemuRunOptions): Promise<Verdict[]> {
  return (await runQemuBatch(cases, o)).verdicts;
}

/** runQemu, also giving the VM's own timings (boots, boot time, total) for the benchmark. */
export async function runQemuBatch(cases: PreparedCase[], o: QemuRunOptions & { isolateAfterFinding?: boolean }): Promise<{ verdicts: Verdict[]; vm: VmRunResult }> {
  const kernel = await kernelFor(o);
  o.onProgress?.(`compiling ${cases.length} cases statically`);
  const binaries = await compileMany(cases.map((c) => c.source), { cacheDir: o.cacheDir, jobs: o.jobs, static: true });
  const helper = await helperBinary(o.cacheDir);
  const built = cases.flatMap((c, i) => (typeof binaries[i] === 'string' ? [{ c, binary: binaries[i] as string }] : []));
  const vm = await runInVm({
    kernel: kernel.bzImage, genInitCpio: kernel.genInitCpio,
    cases: built.map(({ c, binary }) => ({ id: c.id, binary, timeoutSec: o.timeout })),
    extraFiles: [{ guestPath: HELPER_GUEST_PATH, hostPath: helper, mode: 0o755 }],
    debugKernel: o.debugKernel ?? false, cacheDir: o.cacheDir,
    ...(o.isolateAfterFinding !== undefined ? { isolateAfterFinding: o.isolateAfterFinding } : {}),
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
  });
  const byId = new Map(vm.results.map((r) => [r.id, r]));
  const verdicts = cases.map((c, i) => {
    const bin = binaries[i]!;
    if (bin instanceof Error) return notBuilt(c, bin);
    const r = byId.get(c.id)!;
    return verdictOf(c.id, c.c, { status: r.status, ...(r.exitCode !== undefined ? { exitCode: r.exitCode } : {}), ...(r.signal !== undefined ? { signal: r.signal } : {}), stdout: r.stdout, klog: r.klog, findings: r.findings, ms: r.ms }, c.divergence);
  });
  return { verdicts, vm };
}
