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

/** One output line as an event. Parsed by position: a result line carries a long JSON. */
export function parseExecLine(line: string): ExecEvent {
  const tag = line[0];
  if (line[1] !== ' ') return { type: 'garbage', line };
  const a = line.indexOf(' ', 2);
  const first = a < 0 ? line.slice(2) : line.slice(2, a);
  if (tag === 'U') return { type: 'ready', version: Number(first) };
  if (tag === 'B') return { type: 'begin', id: unhex(first) };
  if (tag === 'K' && a > 0) return { type: 'klog', id: first === '-' ? undefined : unhex(first), line: unhex(line.slice(a + 1)) };
  if (tag === 'R' && a > 0) {
    const b = line.indexOf(' ', a + 1);
    const c = b < 0 ? -1 : line.indexOf(' ', b + 1);
    if (c > 0) {
      const st = status(line.slice(a + 1, b));
      const json = line.slice(c + 1);
      if (st) return { type: 'result', id: unhex(first), ...st, ms: Number(line.slice(b + 1, c)), json: json && json !== '-' ? json : undefined };
    }
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
