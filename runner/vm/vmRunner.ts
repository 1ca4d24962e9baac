import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecForm } from '../../c-templates/execForm.js';
import type { ExecObservation } from '../executor/observation.js';
import { interrupted } from '../interrupt.js';
import { guard } from '../qemu/processGuard.js';
import { bootExecutorVm, executorInitramfs, type VmBoot, type VmExecutorOptions } from './vmExecutor.js';

export interface VmRunnerOptions extends VmExecutorOptions {
  /** a kernel log line that came after the program named had answered (before the next one began) */
  onLate?: (afterId: string | undefined, line: string) => void;
}

/** How long past a program's own timeout the host waits for its answer before it calls the VM hung. */
const WATCHDOG_MARGIN_MS = 30_000;
const MAX_BOOTS_PER_PROGRAM = 2;

/**
 * The executor in the reference kernel, kept up across programs. When the kernel dies (or hangs:
 * a host watchdog per program), the program that was running gets `crash` (or `timeout`) with the
 * console's last lines, the VM is booted again, and the programs after it run there.
 */
export class VmRunner {
  boots = 0;
  readonly bootMs: number[] = [];
  private boot: VmBoot | undefined;
  private booting: Promise<VmBoot> | undefined;
  private stopped = false;
  private consoleAtBegin = 0;
  private watchdog: NodeJS.Timeout | undefined;
  /** boots ended on purpose after a program left stuck tasks */
  private readonly retired = new WeakSet<VmBoot>();

  private constructor(private readonly o: VmRunnerOptions, private readonly initrd: string, private readonly workDir: string, private readonly release: () => void) {}

  static async start(o: VmRunnerOptions): Promise<VmRunner> {
    const workDir = mkdtempSync(join(tmpdir(), 'uringspec-vm-'));
    const release = guard({ dir: workDir });
    try {
      const initrd = await executorInitramfs(o, workDir);
      const r = new VmRunner(o, initrd, workDir, release);
      await r.ensureBoot();
      return r;
    } catch (e) {
      rmSync(workDir, { recursive: true, force: true });
      release();
      throw e;
    }
  }

  private ensureBoot(): Promise<VmBoot> {
    if (this.boot?.session.alive) return Promise.resolve(this.boot);
    this.booting ??= (async () => {
      await this.boot?.stop();
      const b = await this.bootOnce().catch((e: unknown) => {
        // this kernel came up before, so a boot that fails now is the loaded host's (TCG timing): once more
        if (this.boots === 1 || this.stopped || interrupted()) throw e;
        this.o.onProgress?.(`boot ${this.boots} failed (${e instanceof Error ? e.message : String(e)}): booting again`);
        return this.bootOnce();
      });
      this.bootMs.push(b.bootMs);
      b.session.onBegin = () => this.armWatchdog(b);
      if (this.o.onLate) b.session.onLate = this.o.onLate;
      this.boot = b;
      this.booting = undefined;
      return b;
    })();
    return this.booting;
  }

  private bootOnce(): Promise<VmBoot> {
    this.boots++;
    return bootExecutorVm(this.o, this.initrd);
  }

  private armWatchdog(b: VmBoot): void {
    this.consoleAtBegin = b.consoleMark();
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => {
      if (b.session.inFlight > 0) b.session.abort(`host watchdog: no answer within ${(this.o.timeoutMs + WATCHDOG_MARGIN_MS) / 1000} s`, 'timeout');
    }, this.o.timeoutMs + WATCHDOG_MARGIN_MS);
    this.watchdog.unref();
  }

  /**
   * Runs one program; a VM that died before it began is booted again and the program sent there. A program
   * whose tasks outlived SIGKILL (stuck in the kernel, perhaps holding locks, lockdep perhaps turned off) is
   * the last one of its boot: the programs after it run on a fresh kernel, so that what it left behind is
   * not charged to them (on the debug kernel, a stuck spawn/head-request-reuse hid a later lockdep WARN).
   */
  async run(form: ExecForm): Promise<ExecObservation> {
    for (let attempt = 0; ; attempt++) {
      const b = await this.ensureBoot();
      const obs = await b.session.run(form);
      // ended by us, below: not the program's doing, so it runs again on the next boot
      if (this.retired.has(b) && obs.status.kind === 'crash' && !this.stopped && attempt + 1 < MAX_BOOTS_PER_PROGRAM) continue;
      if (obs.stuck && !this.retired.has(b) && !this.stopped) {
        this.retired.add(b);
        this.o.onProgress?.(`tasks of ${form.id} outlived SIGKILL: booting again for the programs after it`);
        b.session.abort(`tasks of ${form.id} outlived SIGKILL: booting again`);
      }
      if (obs.status.kind === 'crash' || obs.status.kind === 'timeout') {
        // what the console said since the program began: the panic, the Oops, the hung task
        const since = b.consoleSince(this.consoleAtBegin - CONSOLE_SLACK);
        if (!obs.json) return { ...obs, klog: [...obs.klog, ...since] };
      }
      // after Ctrl-C the VM was killed on purpose: no new boot
      if (obs.status.kind !== 'not-run' || this.stopped || interrupted() || attempt + 1 >= MAX_BOOTS_PER_PROGRAM) return obs;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.watchdog) clearTimeout(this.watchdog);
    await this.booting?.catch(() => undefined);
    if (this.boot) {
      this.boot.session.close();
      const t = setTimeout(() => { void this.boot?.stop(); }, 5000);
      await this.boot.stop();
      clearTimeout(t);
    }
    rmSync(this.workDir, { recursive: true, force: true });
    this.release();
  }
}

/** Console lines before the begin that may still belong to the program (the two channels are not ordered). */
const CONSOLE_SLACK = 5;
