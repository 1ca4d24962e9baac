import type { SqeSlot } from '../spec/types.js';
import type { ExecFixture, ExecValue } from './execForm.js';
import { cInteger } from './cInteger.js';
import { cString } from './cString.js';
import { SQE_SLOT_TYPES } from './sqeSlotTypes.js';

export interface RenderedField {
  /** file-scope declarations the value points at (a buffer, a string, a timespec, an argv) */
  decls: string[];
  /** the C expression assigned to sqe-><slot> */
  expr: string;
}

/** Where a field value sits: the SQE's user_data and slot, and the case's fixtures. */
export interface FieldContext {
  userData: number;
  slot: SqeSlot;
  fixtures: ExecFixture[];
}

function stringArray(name: string, items: string[]): string {
  return `static const char *const ${name}[] = { ${[...items.map(cString), 'NULL'].join(', ')} };`;
}

/** A slot value as C: the exec form's number (already fitted to the slot), signed where the slot is. */
function slotLiteral(n: bigint, slot: SqeSlot): string {
  const t = SQE_SLOT_TYPES[slot];
  const span = 1n << BigInt(t.bits);
  // the upper half of a slot reads best as the negative number a case wrote: (__u32)-22
  const v = n >= span / 2n ? n - span : n;
  return Number.isSafeInteger(Number(v)) ? cInteger(Number(v), t) : `(${t.type})${n}ULL`;
}

/** Turns one field value into C: a literal, a fixture's fd, or a pointer to data declared for it. */
export function renderFieldValue(v: ExecValue, ctx: FieldContext): RenderedField {
  const t = SQE_SLOT_TYPES[ctx.slot];
  const id = `${ctx.userData}_${ctx.slot}`;
  const pointer = (name: string, decl: string): RenderedField => ({ decls: [decl], expr: `(${t.type})(uintptr_t)${name}` });
  if ('int' in v) return { decls: [], expr: slotLiteral(v.int, ctx.slot) };
  if ('fd' in v) {
    const f = ctx.fixtures[v.fd]!;
    const end = `fixtures[${f.ident}].${v.end === 'w' ? 'wfd' : 'fd'}`;
    return { decls: [], expr: ctx.slot === 'fd' ? end : `(${t.type})${end}` };
  }
  if ('path' in v) return { decls: [], expr: `(${t.type})(uintptr_t)fixtures[${ctx.fixtures[v.path]!.ident}].path` };
  if ('buf' in v) return pointer(`buf${id}`, `static char buf${id}[${Math.max(v.buf, 1)}];${v.buf ? '' : ' /* 0 bytes asked for */'}`);
  if ('iov' in v) {
    const bufs = v.iov.map((n, k) => `static char iov${id}_${k}[${Math.max(n, 1)}];`);
    const segs = v.iov.map((n, k) => `{ .iov_base = iov${id}_${k}, .iov_len = ${n} }`);
    return { decls: [...bufs, `static struct iovec iov${id}[] = { ${segs.join(', ')} };`], expr: `(${t.type})(uintptr_t)iov${id}` };
  }
  if ('str' in v) return pointer(`str${id}`, `static const char str${id}[] = ${cString(v.str)};`);
  if ('ts' in v) {
    const ll = { type: 'long long', bits: 64, signed: true };
    return pointer(`&ts${id}`, `static struct __kernel_timespec ts${id} = { .tv_sec = ${cInteger(v.ts.sec, ll)}, .tv_nsec = ${cInteger(v.ts.nsec, ll)} };`);
  }
  return pointer(`${v.what}${id}`, stringArray(`${v.what}${id}`, v.strv));
}
