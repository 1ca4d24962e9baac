import { describe, expect, it } from 'vitest';
import type { CaseSqe, Fixture } from '../spec/types.js';
import { formOf } from './testing/formOf.js';
import { hostProfile } from './testing/hostProfile.js';

const fixtures: Record<string, Fixture> = { p: { kind: 'pipe' }, e: { kind: 'exec-missing' }, x: { kind: 'closed-fd' } };
const form = (sqes: CaseSqe[], more: Record<string, unknown> = {}) => formOf({
  description: 'x', rules: [], provenance: { kind: 'hand-written' }, ring: { entries: 8 }, fixtures, sqes,
  expect: { submitted: [1], cqes: [], order: [] }, ...more,
}, { name: 'x', profile: hostProfile });

describe('execForm', () => {
  it('resolves names to numbers: opcodes from the profile, flag bits from ring.yaml, fixtures by index', () => {
    const f = form([{ op: 'READ', flags: ['IOSQE_IO_LINK', 'IOSQE_ASYNC'], fields: { fd: { fd: 'p', end: 'w' }, len: -1 } }]);
    expect(f.sqes[0]).toMatchObject({ user_data: 1, opcode: 22, flagBits: 4 | 16 });
    expect(f.sqes[0]!.slots).toEqual([['fd', { fd: 0, end: 'w' }], ['len', { int: 0xffffffffn }]]);
    expect(f.fixtures.map((x) => [x.name, x.fn, x.args])).toEqual([['p', 't_fixture_pipe', [0, 0, 0]], ['e', 't_fixture_exec_missing', []], ['x', 't_fixture_closed_fd', [2]]]);
  });

  it('isolates a chain that touches files or changes an fd table, and shares one that does not', () => {
    expect(form([{ op: 'NOP' }], { fixtures: { p: { kind: 'pipe' } } }).isolate).toBe(false);
    expect(form([{ op: 'NOP' }], { fixtures: { f: { kind: 'file' } } }).isolate).toBe(true);
    expect(form([{ op: 'CLOSE', fields: { fd: 3 } }], { fixtures: {} }).isolate).toBe(true);
    expect(form([{ op: 'NOP' }], { fixtures: {}, credentials: { uid: 1, gid: 1 } }).isolate).toBe(true);
  });

  it('rejects what it cannot render, naming the SQE and field', () => {
    expect(() => form([{ op: 'CLONE' }])).toThrow('op CLONE has no opcode in profile host');
    expect(() => form([{ op: 'NOP', flags: ['IOSQE_NOPE'] }])).toThrow('unknown SQE flag IOSQE_NOPE');
    expect(() => form([{ op: 'NOP', fields: { off: 1, addr2: 2 } }])).toThrow('sqe 1: off and addr2 are the same storage');
    expect(() => form([{ op: 'NOP', fields: { fd: { fd: 'q' } } }])).toThrow('sqe 1 fd: no fixture named "q"');
    expect(() => form([{ op: 'NOP', fields: { fd: { fd: 'e' } } }])).toThrow('fixture e (exec-missing) has no fd');
    expect(() => form([{ op: 'NOP', fields: { ioprio: 70000 } }])).toThrow('does not fit in 16 bits');
    expect(() => form([{ op: 'NOP' }], { fixtures: { p: { kind: 'pipe', nope: 1 } } })).toThrow('fixture p: kind pipe has no param "nope"');
    expect(() => form([{ op: 'NOP' }], { batches: [2] })).toThrow('do not split');
  });
});
