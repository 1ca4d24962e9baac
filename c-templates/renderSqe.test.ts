import { describe, expect, it } from 'vitest';
import type { CaseSqe } from '../spec/types.js';
import { renderSqe } from './renderSqe.js';
import { formOf } from './testing/formOf.js';
import { hostProfile } from './testing/hostProfile.js';

const fixtures = { p: { kind: 'pipe' }, e: { kind: 'exec-missing' } };
const sqeOf = (sqe: CaseSqe, at = 1) => {
  const sqes = [...Array.from({ length: at - 1 }, () => ({ op: 'NOP' })), sqe];
  const form = formOf({ description: 'x', rules: [], provenance: { kind: 'hand-written' }, ring: { entries: 8 }, fixtures, sqes, expect: { submitted: [sqes.length], cqes: [], order: [] } }, { name: 'x', profile: hostProfile });
  return renderSqe(form.sqes[at - 1]!, form.fixtures);
};

describe('renderSqe', () => {
  it('without the op\'s spec: the opcode and only the fields the case sets, in struct order (t_get_sqe zeroes the rest), then flags and user_data', () => {
    const { body } = sqeOf({ op: 'NOP' }, 3);
    expect([...body.matchAll(/sqe->(\w+) =/g)].map((m) => m[1])).toEqual(['opcode', 'user_data']);
    expect(body).toContain('sqe->user_data = 3;');
    const full = sqeOf({ op: 'READ', flags: ['IOSQE_IO_LINK'], fields: { addr3: 0, len: 4, fd: { fd: 'p' }, off: 7 } }).body;
    expect([...full.matchAll(/sqe->(\w+) =/g)].map((m) => m[1])).toEqual(['opcode', 'fd', 'off', 'len', 'addr3', 'flags', 'user_data']);
    expect(full).toContain('sqe->flags = IOSQE_IO_LINK;');
    expect(full).toContain('sqe->addr3 = 0;');
  });

  it('writes addr2, not off, when the case sets addr2', () => {
    const { body, decls } = sqeOf({ op: 'NOP', fields: { addr2: { argv: ['a'] } } });
    expect(body).not.toContain('sqe->off');
    expect(body).toContain('sqe->addr2 = (__u64)(uintptr_t)argv1_addr2;');
    expect(decls).toEqual(['static const char *const argv1_addr2[] = { "a", NULL };']);
  });

  it('resolves fixture refs and pipe ends', () => {
    expect(sqeOf({ op: 'READ', fields: { fd: { fd: 'p', end: 'w' } } }).body).toContain('sqe->fd = fixtures[FX_P].wfd;');
    expect(sqeOf({ op: 'NOP', fields: { addr: { path: 'e' } } }).body).toContain('sqe->addr = (__u64)(uintptr_t)fixtures[FX_E].path;');
  });

  it('writes a negative number into an unsigned slot with a cast, and keeps signed slots signed', () => {
    expect(sqeOf({ op: 'NOP', fields: { len: -22 } }).body).toContain('sqe->len = (__u32)-22;');
    expect(sqeOf({ op: 'NOP', fields: { fd: -100 } }).body).toContain('sqe->fd = -100;');
  });
});
