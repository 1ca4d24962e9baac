import { describe, expect, it } from 'vitest';
import { renderSqe } from './renderSqe.js';
import { hostProfile } from './testing/hostProfile.js';
import { ringSpec } from './testing/ringSpec.js';

const o = { ring: ringSpec, profile: hostProfile, fixtures: { p: { kind: 'pipe' as const }, e: { kind: 'exec-missing' as const } } };

describe('renderSqe', () => {
  it('sets every field, in struct order, user_data = position', () => {
    const { body } = renderSqe({ op: 'NOP' }, 3, o);
    const assigned = [...body.matchAll(/sqe->(\w+) =/g)].map((m) => m[1]);
    expect(assigned).toEqual(['opcode', 'flags', 'ioprio', 'fd', 'off', 'addr', 'len', 'rw_flags', 'user_data', 'buf_index', 'personality', 'file_index', 'addr3']);
    expect(body).toContain('sqe->user_data = 3;');
    expect(body).toContain('/* sqe->addr2 is the same storage as off */');
  });

  it('writes addr2 instead of off when the case sets addr2', () => {
    const { body, decls } = renderSqe({ op: 'NOP', fields: { addr2: { argv: ['a'] } } }, 1, o);
    expect(body).toContain('/* sqe->off is the same storage as addr2 */');
    expect(body).toContain('sqe->addr2 = (__u64)(uintptr_t)argv1_addr2;');
    expect(decls).toEqual(['static const char *const argv1_addr2[] = { "a", NULL };']);
  });

  it('resolves fixture refs and pipe ends', () => {
    expect(renderSqe({ op: 'READ', fields: { fd: { fd: 'p', end: 'w' } } }, 1, o).body).toContain('sqe->fd = fixtures[FX_P].wfd;');
    expect(renderSqe({ op: 'NOP', fields: { addr: { path: 'e' } } }, 1, o).body).toContain('sqe->addr = (__u64)(uintptr_t)fixtures[FX_E].path;');
  });

  it('rejects what it cannot render, naming the SQE and field', () => {
    expect(() => renderSqe({ op: 'CLONE' }, 1, o)).toThrow('op CLONE has no opcode in profile host');
    expect(() => renderSqe({ op: 'NOP', flags: ['IOSQE_NOPE'] }, 1, o)).toThrow('unknown SQE flag IOSQE_NOPE');
    expect(() => renderSqe({ op: 'NOP', fields: { off: 1, addr2: 2 } }, 2, o)).toThrow('sqe 2: off and addr2 are the same storage');
    expect(() => renderSqe({ op: 'NOP', fields: { fd: { fd: 'q' } } }, 1, o)).toThrow('sqe 1 fd: no fixture named "q"');
    expect(() => renderSqe({ op: 'NOP', fields: { fd: { fd: 'e' } } }, 1, o)).toThrow('fixture e (exec-missing) has no fd');
    expect(() => renderSqe({ op: 'NOP', fields: { ioprio: 70000 } }, 1, o)).toThrow('does not fit in 16 bits');
  });
});
