import type { PrepArgType, SqeSlot } from '../spec/types.js';
import type { ExecFixture, ExecValue } from './execForm.js';
import type { CIntType } from './cInteger.js';
import { cInteger } from './cInteger.js';
import { cString } from './cString.js';
import { renderNamedValue } from './renderNamedValue.js';
import { SQE_SLOT_TYPES } from './sqeSlotTypes.js';

export interface RenderedField {
  /** file-scope declarations the value points at (a buffer, a string, a timespec, an argv) */
  decls: string[];
  /** the C expression assigned to sqe-><slot>, or passed for it to a prep helper */
  expr: string;
  /** the spec/ring.yaml constants the expression names */
  names: string[];
}

/** Where a field value sits: the SQE's user_data and slot, and the case's fixtures. */
export interface FieldContext {
  userData: number;
  slot: SqeSlot;
  fixtures: ExecFixture[];
  /** the constants the slot's value may be written with (the op's liburing.names) */
  named?: [string, number][];
  /** the value is an argument of a liburing prep helper, of this parameter type */
  param?: PrepArgType;
}

/** The C type of a prep helper's integer parameter. */
export const PARAM_TYPES: Record<Exclude<PrepArgType, 'ptr'>, CIntType> = {
  int: { type: 'int', bits: 32, signed: true },
  unsigned: { type: 'unsigned', bits: 32, signed: false },
  __u64: { type: '__u64', bits: 64, signed: false },
};

function stringArray(name: string, items: string[]): string {
  return `static const char *const ${name}[] = { ${[...items.map(cString), 'NULL'].join(', ')} };`;
}

/** n (as the exec form stores it: unsigned, fitted to its slot) as the slot reads it: signed where the slot is. */
export function slotValue(n: bigint, slot: SqeSlot): bigint {
  const t = SQE_SLOT_TYPES[slot];
  const span = 1n << BigInt(t.bits);
  return t.signed && n >= span / 2n ? n - span : n;
}

/** A number as C of type t; the upper half of an unsigned type reads best as the negative number a case wrote: (__u32)-22. */
function literal(n: bigint, t: CIntType): string {
  const span = 1n << BigInt(t.bits);
  const v = n >= span / 2n ? n - span : n;
  return Number.isSafeInteger(Number(v)) ? cInteger(Number(v), t) : `(${t.type})${n}ULL`;
}

/** Turns one field value into C: a literal or named constants, a fixture's fd, or a pointer to data declared for it. */
export function renderFieldValue(v: ExecValue, ctx: FieldContext): RenderedField {
  const ptr = ctx.param === 'ptr';
  const t = ctx.param && ctx.param !== 'ptr' ? PARAM_TYPES[ctx.param] : SQE_SLOT_TYPES[ctx.slot];
  const id = `${ctx.userData}_${ctx.slot}`;
  const plain = (expr: string, decls: string[] = []): RenderedField => ({ decls, expr, names: [] });
  const pointer = (name: string, ...decls: string[]) => plain(ptr ? name : `(${t.type})(uintptr_t)${name}`, decls);
  if ('int' in v) {
    if (ptr) return plain(v.int === 0n ? 'NULL' : `(void *)(uintptr_t)${literal(v.int, PARAM_TYPES.__u64)}`);
    const names = ctx.named && renderNamedValue(slotValue(v.int, ctx.slot), ctx.named);
    return names ? { decls: [], expr: names.join(' | '), names } : plain(literal(v.int, t));
  }
  if ('fd' in v) {
    const end = `fixtures[${ctx.fixtures[v.fd]!.ident}].${v.end === 'w' ? 'wfd' : 'fd'}`;
    return plain(ctx.slot === 'fd' || ctx.param === 'int' ? end : `(${t.type})${end}`);
  }
  if ('result' in v) {
    // the CQE came before this batch is filled (the case settles): its res, an fd an earlier request opened
    const res = `t_result_of(${v.result})`;
    return plain(ctx.slot === 'fd' || ctx.param === 'int' ? res : `(${t.type})${res}`);
  }
  if ('path' in v) return pointer(`fixtures[${ctx.fixtures[v.path]!.ident}].path`);
  if ('buf' in v) return pointer(`buf${id}`, `static char buf${id}[${Math.max(v.buf, 1)}];${v.buf ? '' : ' /* 0 bytes asked for */'}`);
  if ('iov' in v) {
    const bufs = v.iov.map((n, k) => `static char iov${id}_${k}[${Math.max(n, 1)}];`);
    const segs = v.iov.map((n, k) => `{ .iov_base = iov${id}_${k}, .iov_len = ${n} }`);
    return pointer(`iov${id}`, ...bufs, `static struct iovec iov${id}[] = { ${segs.join(', ')} };`);
  }
  if ('str' in v) return pointer(`str${id}`, `static const char str${id}[] = ${cString(v.str)};`);
  if ('ts' in v) {
    const ll = { type: 'long long', bits: 64, signed: true };
    return pointer(`&ts${id}`, `static struct __kernel_timespec ts${id} = { .tv_sec = ${cInteger(v.ts.sec, ll)}, .tv_nsec = ${cInteger(v.ts.nsec, ll)} };`);
  }
  return pointer(`${v.what}${id}`, stringArray(`${v.what}${id}`, v.strv));
}
