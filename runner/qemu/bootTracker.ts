import { classifyKernelLine } from './findings.js';
import type { SerialEvent } from './serialParser.js';
import type { VmCase, VmCaseResult } from './types.js';

export interface BootTiming {
  bootTimeoutMs: number;
  /** Added to a case's own timeout before the host gives up on it. */
  caseMarginMs: number;
  /** Longest quiet spell allowed between one case's end and the next one's begin. */
  betweenMs: number;
  powerOffMs: number;
}

const MAX_LINES = 5000;
const MARKER = /uringspec: (begin|end) /;

function push(list: string[], line: string): void {
  if (list.length < MAX_LINES) list.push(line);
  else if (list.length === MAX_LINES) list.push('[uringspec: further lines dropped]');
}

/**
 * Follows one boot of the VM through its serial events and fills in `results`.
 * Kernel lines go to the running case, or to the case that just ended (late
 * reports), or to the boot log. Pure: time is passed in.
 */
export class BootTracker {
  phase: 'booting' | 'running' | 'between' | 'done' = 'booting';
  current?: number;
  last?: number;
  bootMs?: number;
  ran = 0;
  readonly bootLog: string[] = [];
  private since: number;
  /** @@cont chunks of an output line still waiting for its @@out */
  private partial = '';

  constructor(private cases: VmCase[], private results: VmCaseResult[], readonly start: number, private timing: BootTiming, private startedAt: number, private isolate = true) {
    this.since = startedAt;
  }

  /** Returns 'stop' when the VM should be shut down now (a case left kernel findings). */
  handle(ev: SerialEvent, now: number): 'continue' | 'stop' {
    switch (ev.type) {
      case 'init':
        this.bootMs = now - this.startedAt;
        this.enter('between', now);
        break;
      case 'begin':
        if (ev.index < 0 || ev.index >= this.cases.length) break;
        this.results[ev.index] = { id: this.cases[ev.index].id, status: 'not-run', stdout: [], klog: [], findings: [], ms: 0 };
        this.current = ev.index;
        this.ran++;
        this.enter('running', now);
        break;
      case 'cont':
        if (ev.index === this.current) this.partial += ev.line;
        break;
      case 'out':
        if (ev.index === this.current) push(this.results[ev.index].stdout, this.partial + ev.line);
        this.partial = '';
        break;
      case 'end': {
        if (ev.index !== this.current) break;
        const r = this.results[ev.index];
        r.ms = ev.ms;
        r.status = ev.timedOut || ev.status.kind === 'hang' ? 'timeout' : 'exited';
        if (ev.status.kind === 'exit') r.exitCode = ev.status.code;
        if (ev.status.kind === 'signal') r.signal = ev.status.signal;
        if (ev.status.kind === 'hang') r.note = 'still not reaped 5 s after SIGKILL (unkillable task)';
        else if (ev.timedOut) r.note = `killed after its ${this.cases[ev.index].timeoutSec} s timeout`;
        if (ev.stuck) r.note = `${r.note ? r.note + '; ' : ''}left tasks that did not die after SIGKILL`;
        this.last = ev.index;
        this.current = undefined;
        this.enter('between', now);
        return this.isolate && r.findings.length > 0 ? 'stop' : 'continue';
      }
      case 'done':
        this.enter('done', now);
        break;
      case 'error':
        push(this.bootLog, `/init: ${ev.message}`);
        break;
      case 'kernel':
        this.kernelLine(ev.line);
        break;
    }
    return 'continue';
  }

  private kernelLine(line: string): void {
    const owner = this.current ?? (this.phase === 'between' ? this.last : undefined);
    if (owner === undefined) return push(this.bootLog, line);
    if (MARKER.test(line)) return;
    const r = this.results[owner];
    push(r.klog, line);
    const kind = classifyKernelLine(line);
    if (kind) r.findings.push({ kind, line });
  }

  private enter(phase: BootTracker['phase'], now: number): void {
    this.phase = phase;
    this.since = now;
  }

  /** When the host watchdog should fire if nothing else happens. */
  deadline(): number {
    const t = this.timing;
    if (this.phase === 'booting') return this.since + t.bootTimeoutMs;
    if (this.phase === 'running') return this.since + this.cases[this.current!].timeoutSec * 1000 + t.caseMarginMs;
    if (this.phase === 'between') return this.since + t.betweenMs;
    return this.since + t.powerOffMs;
  }

  /** The watchdog fired (expired) or QEMU exited on its own (exited). */
  stopped(how: 'expired' | 'exited', now: number): void {
    if (this.phase === 'running') {
      const r = this.results[this.current!];
      const fatal = r.findings.some((f) => f.kind === 'PANIC' || f.kind === 'OOPS');
      r.status = how === 'exited' || fatal ? 'crash' : 'timeout';
      r.ms = now - this.since;
      r.note = how === 'exited' ? 'QEMU exited while the case ran' : `host watchdog: no @@end within ${Math.round((now - this.since) / 1000)} s`;
    } else if (this.phase === 'between' && this.last !== undefined && how === 'exited') {
      const r = this.results[this.last];
      if (r.findings.some((f) => f.kind === 'PANIC')) {
        r.status = 'crash';
        r.note = 'kernel panicked after the case ended';
      }
    }
  }

  get reachedInit(): boolean {
    return this.bootMs !== undefined;
  }

  /** Index the next boot should resume at (cases.length when all are done). */
  nextStart(): number {
    if (this.phase === 'done') return this.cases.length;
    if (this.current !== undefined) return this.current + 1;
    return this.last !== undefined ? this.last + 1 : this.start;
  }
}
