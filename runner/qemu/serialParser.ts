export type EndStatus = { kind: 'exit'; code: number } | { kind: 'signal'; signal: number } | { kind: 'hang' };

export type SerialEvent =
  | { type: 'init'; start: number; cases: number }
  | { type: 'begin'; index: number; id: string }
  | { type: 'out'; index: number; line: string }
  | { type: 'cont'; index: number; line: string }
  | { type: 'end'; index: number; status: EndStatus; timedOut: boolean; ms: number; extra: number; stuck: boolean }
  | { type: 'done' }
  | { type: 'error'; message: string }
  | { type: 'kernel'; line: string };

const TIMESTAMP = /^\[\s*\d+\.\d+\]\s?/;
const FRAME = /@@(init|begin|out|cont|end|done|error)(?: (.*))?$/;

function fields(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(' ')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}

function endStatus(s: string | undefined): EndStatus | undefined {
  const m = /^(exit|signal):(\d+)$/.exec(s ?? '');
  if (m) return m[1] === 'exit' ? { kind: 'exit', code: Number(m[2]) } : { kind: 'signal', signal: Number(m[2]) };
  return s === 'hang' ? { kind: 'hang' } : undefined;
}

function frame(kind: string, rest: string): SerialEvent | undefined {
  const sp = rest.indexOf(' ');
  const index = Number(sp < 0 ? rest : rest.slice(0, sp));
  const tail = sp < 0 ? '' : rest.slice(sp + 1);
  switch (kind) {
    case 'init': {
      const f = fields(rest);
      return { type: 'init', start: Number(f.start ?? 0), cases: Number(f.cases ?? 0) };
    }
    case 'done':
      return { type: 'done' };
    case 'error':
      return { type: 'error', message: rest };
    case 'begin':
      return Number.isInteger(index) && tail ? { type: 'begin', index, id: tail } : undefined;
    case 'out':
    case 'cont':
      return Number.isInteger(index) ? { type: kind, index, line: tail } : undefined;
    case 'end': {
      const f = fields(tail);
      const status = endStatus(f.status);
      if (!Number.isInteger(index) || !status) return undefined;
      return { type: 'end', index, status, timedOut: f.timeout === '1', ms: Number(f.ms ?? 0), extra: Number(f.extra ?? 0), stuck: f.stuck === '1' };
    }
  }
  return undefined;
}

/** Classifies one console line: a /init frame (possibly behind kernel text) or kernel output. */
export function parseSerialLine(raw: string): SerialEvent[] {
  const line = raw.replace(/\r/g, '');
  const body = line.replace(TIMESTAMP, '');
  const at = body.search(FRAME);
  if (at >= 0) {
    const m = FRAME.exec(body.slice(at))!;
    const ev = frame(m[1], m[2] ?? '');
    if (ev) {
      const before = body.slice(0, at).trim();
      return before ? [{ type: 'kernel', line: before }, ev] : [ev];
    }
  }
  return line.trim() ? [{ type: 'kernel', line }] : [];
}

/** Turns the VM's serial byte stream, in arbitrary chunks, into events. */
export class SerialParser {
  private partial = '';

  push(chunk: string): SerialEvent[] {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop() ?? '';
    return lines.flatMap(parseSerialLine);
  }

  /** Flushes a final line that had no newline. */
  end(): SerialEvent[] {
    const rest = this.partial;
    this.partial = '';
    return rest ? parseSerialLine(rest) : [];
  }
}
