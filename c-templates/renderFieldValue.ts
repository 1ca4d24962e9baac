import type { FieldValue, Fixture, SqeSlot } from '../spec/types.js';
import { cInteger } from './cInteger.js';
import { cString } from './cString.js';
import { fixtureIdent } from './fixtureIdent.js';
import { FIXTURE_KINDS } from './fixtureKinds.js';
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
  fixtures: Record<string, Fixture>;
}

function fixture(ctx: FieldContext, name: string, want: 'fd' | 'path' | 'writeEnd'): string {
  const f = ctx.fixtures[name];
  const where = `sqe ${ctx.userData} ${ctx.slot}`;
  if (!f) throw new Error(`${where}: no fixture named "${name}"`);
  if (!FIXTURE_KINDS[f.kind][want]) throw new Error(`${where}: fixture ${name} (${f.kind}) has no ${want}`);
  return `fixtures[${fixtureIdent(name)}]`;
}

function stringArray(name: string, items: string[]): string {
  return `static const char *const ${name}[] = { ${[...items.map(cString), 'NULL'].join(', ')} };`;
}

/** Turns one field value into C: a literal, a fixture's fd, or a pointer to data declared for it. */
export function renderFieldValue(v: FieldValue, ctx: FieldContext): RenderedField {
  const t = SQE_SLOT_TYPES[ctx.slot];
  const id = `${ctx.userData}_${ctx.slot}`;
  const pointer = (name: string, decl: string): RenderedField => ({
    decls: [decl],
    expr: `(${t.type})(uintptr_t)${name}`,
  });
  if (typeof v === 'number') return { decls: [], expr: cInteger(v, t) };
  if ('fd' in v) {
    const end = v.end === 'w' ? fixture(ctx, v.fd, 'writeEnd') + '.wfd' : fixture(ctx, v.fd, 'fd') + '.fd';
    return { decls: [], expr: ctx.slot === 'fd' ? end : `(${t.type})${end}` };
  }
  if ('path' in v) return { decls: [], expr: `(${t.type})(uintptr_t)${fixture(ctx, v.path, 'path')}.path` };
  if ('buf' in v) {
    if (!Number.isSafeInteger(v.buf) || v.buf < 0) throw new Error(`sqe ${ctx.userData} ${ctx.slot}: bad buffer size ${v.buf}`);
    return pointer(`buf${id}`, `static char buf${id}[${Math.max(v.buf, 1)}];${v.buf ? '' : ' /* 0 bytes asked for */'}`);
  }
  if ('str' in v) return pointer(`str${id}`, `static const char str${id}[] = ${cString(v.str)};`);
  if ('timespec' in v) {
    const { sec, nsec } = v.timespec;
    const decl = `static struct __kernel_timespec ts${id} = { .tv_sec = ${cInteger(sec, { type: 'long long', bits: 64, signed: true })}, .tv_nsec = ${cInteger(nsec, { type: 'long long', bits: 64, signed: true })} };`;
    return pointer(`&ts${id}`, decl);
  }
  if ('argv' in v) return pointer(`argv${id}`, stringArray(`argv${id}`, v.argv));
  if ('envp' in v) return pointer(`envp${id}`, stringArray(`envp${id}`, v.envp));
  throw new Error(`sqe ${ctx.userData} ${ctx.slot}: unknown field value ${JSON.stringify(v)}`);
}
