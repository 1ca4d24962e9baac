/**
 * The executor's output lines (c-templates/runtime/executor.c), parsed. Pure: bytes in, events out.
 *
 *   U <version>                  ready
 *   B <id>                       a program begins
 *   K <id|-> <hex>               a kernel log line, under the program running (or "-": between programs)
 *   R <id> <status> <ms> <json|->
 */

export type ExecStatus =
  | { kind: 'exit'; code: number }
  | { kind: 'signal'; signal: number }
  | { kind: 'timeout' }
  | { kind: 'stuck' }
  | { kind: 'error'; why: string };

export type ExecEvent =
  | { type: 'ready'; version: number }
  | { type: 'begin'; id: string }
  | { type: 'klog'; id: string | undefined; line: string }
  | { type: 'result'; id: string; status: ExecStatus; stuck: boolean; ms: number; json: string | undefined }
  | { type: 'garbage'; line: string };

export const unhex = (h: string): string => (h === '-' ? '' : Buffer.from(h, 'hex').toString('utf8'));

function status(s: string): { status: ExecStatus; stuck: boolean } | undefined {
  const stuck = s.endsWith('+stuck');
  const base = stuck ? s.slice(0, -'+stuck'.length) : s;
  const m = /^(exit|signal):(-?\d+)$/.exec(base);
  if (m) return { status: m[1] === 'exit' ? { kind: 'exit', code: Number(m[2]) } : { kind: 'signal', signal: Number(m[2]) }, stuck };
  if (base === 'timeout' || base === 'stuck') return { status: { kind: base }, stuck: stuck || base === 'stuck' };
  if (base.startsWith('error:')) return { status: { kind: 'error', why: unhex(base.slice(6)) }, stuck };
  return undefined;
}

/** One output line as an event. */
export function parseExecLine(line: string): ExecEvent {
  const [tag, a, b, c, ...rest] = line.split(' ');
  if (tag === 'U' && a) return { type: 'ready', version: Number(a) };
  if (tag === 'B' && a) return { type: 'begin', id: unhex(a) };
  if (tag === 'K' && a && b !== undefined) return { type: 'klog', id: a === '-' ? undefined : unhex(a), line: unhex(b) };
  if (tag === 'R' && a && b && c) {
    const st = status(b);
    const json = rest.join(' ');
    if (st) return { type: 'result', id: unhex(a), ...st, ms: Number(c), json: json && json !== '-' ? json : undefined };
  }
  return { type: 'garbage', line };
}

/** Splits a byte stream, in arbitrary chunks, into lines. */
export class LineSplitter {
  private partial = '';

  push(chunk: string): string[] {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop() ?? '';
    return lines;
  }
}
