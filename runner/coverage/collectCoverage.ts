import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PreparedCase } from '../prepareCase.js';
import { compileCase } from '../compile/compileCase.js';
import { compileMany } from '../compile/compileMany.js';
import { helperBinary, HELPER_GUEST_PATH } from '../vm/helperBinary.js';
import { runInVm, type VmCaseResult, type VmRunResult } from '../qemu/runInVm.js';
import { GcovFrameDecoder, type GcovDump } from './gcovFrames.js';

/** Where /init looks for gcovdump when the kernel command line has uringspec.gcov=1. */
export const GCOVDUMP_GUEST_PATH = '/uringspec/gcovdump';
export const GCOV_KERNEL_ARG = 'uringspec.gcov=1';

/** The static guest gcovdump, compiled once per content hash. */
export function gcovdumpBinary(cacheDir: string): Promise<string> {
  return compileCase(readFileSync(join(import.meta.dirname, '..', 'guest', 'gcovdump.c'), 'utf8'), { cacheDir, static: true });
}

/** Takes a case's gcovdump frames out of its kernel log: its dump, and the log without them. */
export function splitDump(r: VmCaseResult, tag: string): { dump?: GcovDump; klog: string[] } {
  const d = new GcovFrameDecoder();
  const klog = r.klog.filter((l) => !d.push(l));
  // base64 could, rarely, look like a report to the console classifier
  r.findings = r.findings.filter((f) => !f.line.includes('@@gc'));
  return { ...(d.dumps().has(tag) ? { dump: d.dumps().get(tag)! } : {}), klog };
}

export interface CoverageRun { vm: VmRunResult; dumps: Map<string, GcovDump | undefined> }

/**
 * Runs the cases in one boot of the coverage kernel (more after a crash), /init
 * resetting the counters before each case and dumping them after it; returns each
 * case's dump by case id (undefined when none arrived) and the VM results, their
 * kernel logs cleaned of the frames.
 */
export async function collectCoverage(cases: PreparedCase[], o: { bzImage: string; genInitCpio: string; cacheDir: string; jobs: number; timeout: number; onProgress?: (l: string) => void }): Promise<CoverageRun> {
  o.onProgress?.(`compiling ${cases.length} cases statically`);
  const binaries = await compileMany(cases.map((c) => c.source), { cacheDir: o.cacheDir, jobs: o.jobs, static: true });
  const built = cases.flatMap((c, i) => (typeof binaries[i] === 'string' ? [{ id: c.id, binary: binaries[i] as string, timeoutSec: o.timeout }] : []));
  const [helper, gcovdump] = await Promise.all([helperBinary(o.cacheDir), gcovdumpBinary(o.cacheDir)]);
  const vm = await runInVm({
    // 512 MiB cannot hold the corpus' initramfs (~165 MB of static binaries, twice while it unpacks) next to
    // the GCOV kernel: the unpacking stops and the files listed last, gcovdump and the helper, are missing.
    memMiB: 1024,
    kernel: o.bzImage, genInitCpio: o.genInitCpio, cases: built, cacheDir: o.cacheDir, kernelArgs: [GCOV_KERNEL_ARG],
    extraFiles: [{ guestPath: HELPER_GUEST_PATH, hostPath: helper, mode: 0o755 }, { guestPath: GCOVDUMP_GUEST_PATH, hostPath: gcovdump, mode: 0o755 }],
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
  });
  const dumps = new Map<string, GcovDump | undefined>(cases.map((c) => [c.id, undefined]));
  vm.results.forEach((r, i) => {
    const { dump, klog } = splitDump(r, String(i));
    r.klog = klog;
    dumps.set(r.id, dump);
  });
  return { vm, dumps };
}
