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
  it('sets every field, in struct order, and the user_data', () => {
    const { body } = sqeOf({ op: 'NOP' }, 3);
    const assigned = [...body.matchAll(/sqe->(\w+) =/g)].map((m) => m[1]);
    expect(assigned).toEqual(['opcode', 'flags', 'ioprio', 'fd', 'off', 'addr', 'len', 'rw_flags', 'user_data', 'buf_index', 'personality', 'file_index', 'addr3']);
    expect(body).toContain('sqe->user_data = 3;');
    expect(body).toContain('/* sqe->addr2 is the same storage as off */');
  });

  it('writes addr2 instead of off when the case sets addr2', () => {
    const { body, decls } = sqeOf({ op: 'NOP', fields: { addr2: { argv: ['a'] } } });
    expect(body).toContain('/* sqe->off is the same storage as addr2 */');
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
