import type { Finding } from './findings.js';

export interface VmCase { id: string; binary: string; timeoutSec: number; }
export interface VmRunOptions {
  kernel: string;
  genInitCpio: string;
  cases: VmCase[];
  extraFiles?: { guestPath: string; hostPath: string; mode: number }[];
  memMiB?: number;
  smp?: number;
  bootTimeoutSec?: number;
  debugKernel?: boolean;
  onProgress?: (line: string) => void;
  /** Where the compiled guest /init is cached; defaults to the kernel cache dir. */
  cacheDir?: string;
  /** Reboot after a case with kernel findings so a tainted kernel (lockdep off, WARN_ONCE spent) does not judge the next one. Default true. */
  isolateAfterFinding?: boolean;
  /** More kernel command-line words, passed to every boot. */
  kernelArgs?: string[];
}
export type VmCaseStatus = 'exited' | 'timeout' | 'crash' | 'not-run';
export interface VmCaseResult {
  id: string;
  status: VmCaseStatus;
  exitCode?: number;
  signal?: number;
  stdout: string[];
  klog: string[];
  findings: Finding[];
  ms: number;
  /** Why the status is what it is when that is not obvious (watchdog, unkillable task, QEMU exit). */
  note?: string;
}
export interface VmRunResult { results: VmCaseResult[]; boots: number; bootMs: number[]; totalMs: number; }
