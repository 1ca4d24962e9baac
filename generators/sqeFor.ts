import fc from 'fast-check';
import type { CaseSqe, FieldValue, FixturesSpec, OpSpec, SqeSlot } from '../spec/types.js';
import { fieldValue } from './fieldValue.js';

/** Buffers are sized from len so that a read or write never runs past them; an iovec array gets len segments (1 to 8). */
function sizeBuffers(fields: Partial<Record<SqeSlot, FieldValue>>): Partial<Record<SqeSlot, FieldValue>> {
  const out = { ...fields };
  const len = typeof fields.len === 'number' ? fields.len : 0;
  for (const [slot, v] of Object.entries(out)) {
    if (v && typeof v === 'object' && 'buf' in v) out[slot as SqeSlot] = { buf: Math.max(1, Math.min(len, 65536)) };
    if (v && typeof v === 'object' && 'iov' in v) out[slot as SqeSlot] = { iov: v.iov.slice(0, Math.max(1, Math.min(len, v.iov.length))) };
  }
  return out;
}

/** One SQE of an op: every field from its spec, and sometimes one value a prep rule names as invalid. */
export function sqeFor(fx: FixturesSpec, op: OpSpec, flags: fc.Arbitrary<string[]>, opts: { exec: boolean; invalidWeight?: number }): fc.Arbitrary<CaseSqe> {
  const slots = Object.entries(op.fields).filter(([, f]) => f.role !== 'ignored' || (f.values?.length ?? 0) > 0) as [SqeSlot, NonNullable<OpSpec['fields'][SqeSlot]>][];
  const fields = fc.record(Object.fromEntries(slots.map(([slot, f]) => [slot, fieldValue(fx, f, opts.exec)])) as Record<string, fc.Arbitrary<FieldValue>>);
  const invalids = op.prep.filter((r) => r.field && r.field !== 'flags' && r.invalid?.length)
    .flatMap((r) => r.invalid!.map((v) => [r.field as SqeSlot, v] as const));
  const poison = invalids.length
    ? fc.oneof({ weight: 10, arbitrary: fc.constant(undefined) }, { weight: opts.invalidWeight ?? 1, arbitrary: fc.constantFrom(...invalids) })
    : fc.constant(undefined);
  return fc.tuple(fields, flags, poison).map(([f, fl, bad]) => {
    const values = sizeBuffers(f as Partial<Record<SqeSlot, FieldValue>>);
    if (bad) values[bad[0]] = bad[1];
    const sqe: CaseSqe = { op: op.short };
    if (fl.length) sqe.flags = fl;
    if (Object.keys(values).length) sqe.fields = values;
    return sqe;
  });
}
