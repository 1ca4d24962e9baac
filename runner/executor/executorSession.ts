import { encodeExecForm, uniformGrace, type Grace } from '../../c-templates/encodeExecForm.js';
import type { ExecForm } from '../../c-templates/execForm.js';
import type { ExecObservation } from './observation.js';
import { LineSplitter, parseExecLine } from './protocol.js';
import type { Transport } from './transport.js';

interface Pending { wireId: string; resolve: (o: ExecObservation) => void; klog: string[]; began: boolean }

/**
 * One executor, driven over a transport: programs go out as they are submitted (many in flight, the
 * executor runs them in order), observations come back in the same order. When the transport ends
 * early (the VM died), the program that had begun gets `crash` and the rest `not-run`.
 */
export class ExecutorSession {
  private readonly pending: Pending[] = [];
  private readonly splitter = new LineSplitter();
  private seq = 0;
  private ended: string | undefined | null = null;
  private readyWaiters: ((ok: boolean) => void)[] = [];
  private isReady = false;
  /** kernel lines that came between programs, after the one named had answered */
  onLate?: (afterId: string | undefined, line: string) => void;
  /** a program began running (the executor said so) */
  onBegin?: (id: string) => void;
  private lastAnswered: string | undefined;
  /** output that is not protocol (a crashing executor's stderr is not here; this is stray stdout) */
  readonly garbage: string[] = [];

  /** grace(form): how long the executor keeps waiting once what that program awaits came */
  constructor(private readonly transport: Transport, private readonly grace: (form: ExecForm) => Grace = () => uniformGrace(50)) {
    transport.onData((chunk) => {
      for (const line of this.splitter.push(chunk)) this.line(line);
    });
    transport.onEnd((why) => this.finish(why ?? 'the executor exited'));
  }

  /** Resolves once the executor said it is ready; false when the transport ended first. */
  ready(): Promise<boolean> {
    if (this.isReady) return Promise.resolve(true);
    if (this.ended !== null) return Promise.resolve(false);
    return new Promise((res) => this.readyWaiters.push(res));
  }

  get inFlight(): number {
    return this.pending.length;
  }

  get alive(): boolean {
    return this.ended === null;
  }

  /** Sends a program; resolves with its observation. */
  run(form: ExecForm): Promise<ExecObservation> {
    const wireId = `${form.id}@${this.seq++}`;
    return new Promise((resolve) => {
      const p: Pending = { wireId, resolve, klog: [], began: false };
      if (this.ended !== null) return resolve(this.unrun(p, form.id));
      this.pending.push(p);
      this.send(encodeExecForm({ ...form, id: wireId }, this.grace(form)));
    });
  }

  /** programs go out together, one write per turn of the event loop */
  private outgoing: string[] = [];

  private send(text: string): void {
    if (this.outgoing.push(text) > 1) return;
    setImmediate(() => {
      const all = this.outgoing.join('');
      this.outgoing = [];
      void this.transport.write(all);
    });
  }

  close(): void {
    if (!this.outgoing.length) return this.transport.end();
    setImmediate(() => this.close());
  }

  /** ends the session now, as if the transport broke: what had begun gets `kind`, the rest not-run */
  abort(why: string, kind: 'crash' | 'timeout' = 'crash'): void {
    this.finish(why, kind);
    this.transport.kill();
  }

  kill(): void {
    this.transport.kill();
  }

  private unrun(p: Pending, id: string): ExecObservation {
    return { id, status: { kind: 'not-run' }, stuck: false, ms: 0, json: undefined, klog: p.klog, ...(this.ended ? { note: this.ended } : {}) };
  }

  private line(line: string): void {
    const ev = parseExecLine(line);
    const head = this.pending[0];
    switch (ev.type) {
      case 'ready':
        this.isReady = true;
        for (const w of this.readyWaiters.splice(0)) w(true);
        break;
      case 'begin':
        if (head && ev.id === head.wireId) {
          head.began = true;
          this.onBegin?.(baseId(head.wireId));
        }
        break;
      case 'klog':
        if (ev.id !== undefined && head && ev.id === head.wireId) head.klog.push(ev.line);
        else this.onLate?.(this.lastAnswered, ev.line);
        break;
      case 'result': {
        if (!head || ev.id !== head.wireId) {
          this.garbage.push(line);
          break;
        }
        this.pending.shift();
        this.lastAnswered = baseId(head.wireId);
        head.resolve({ id: baseId(head.wireId), status: ev.status, stuck: ev.stuck, ms: ev.ms, json: ev.json, klog: head.klog });
        break;
      }
      case 'garbage':
        this.garbage.push(line);
    }
  }

  private finish(why: string, kind: 'crash' | 'timeout' = 'crash'): void {
    if (this.ended !== null) return;
    this.ended = why;
    for (const w of this.readyWaiters.splice(0)) w(false);
    for (const p of this.pending.splice(0)) {
      const id = baseId(p.wireId);
      if (p.began) p.resolve({ id, status: { kind }, stuck: false, ms: 0, json: undefined, klog: p.klog, note: why });
      else p.resolve(this.unrun(p, id));
    }
  }
}

const baseId = (wireId: string) => wireId.slice(0, wireId.lastIndexOf('@'));
