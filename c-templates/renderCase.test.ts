import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Case, Expectation } from '../spec/types.js';
import { renderCase, type RenderOptions } from './renderCase.js';
import { buildC } from './testing/buildC.js';
import { hostProfile } from './testing/hostProfile.js';
import { ringSpec } from './testing/ringSpec.js';
import { sampleCases } from './testing/sampleCases.js';

const opts = (name: string, more: Partial<RenderOptions> = {}): RenderOptions => ({
  name: `sample/${name}`, ring: ringSpec, profile: hostProfile, rules: ['nop.issue.ok', 'chain.link.fail'], ...more,
});
const root = mkdtempSync(join(tmpdir(), 'uringspec-render-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const render = (name: keyof typeof sampleCases, more: Partial<RenderOptions> = {}) => renderCase(sampleCases[name]!, opts(name, more));

describe('renderCase', () => {
  it('renders a lone NOP like a liburing test (golden)', async () => {
    const c = render('nop');
    expect(c.split('\n')[0]).toBe('/* SPDX-License-Identifier: MIT */');
    expect(c).toContain('/* Description: a lone NOP completes with 0 (rules: nop.issue.ok, chain.link.fail) */');
    expect(c).toContain('#include "liburing.h"');
    expect(c).toContain('#define OP_NOP 0\n');
    expect(c).toContain('/* NOP */\nstatic int test_chain(struct io_uring *ring)');
    expect(c).not.toContain('fixtures');
    await expect(c).toMatchFileSnapshot('./testing/golden/nop.c');
  });

  it('renders READ(link) -> NOP with a pipe fixture (golden)', async () => {
    const c = render('readLinkNop');
    expect(c).toContain('/* READ(link) -> NOP */');
    expect(c).toContain('#ifndef IOSQE_IO_LINK\n#define IOSQE_IO_LINK 4\n#endif');
    expect(c).toContain('ret = t_fixture_pipe(&fixtures[FX_P], "p", 4, 0);');
    expect(c).toContain('static char buf1_addr[4];');
    expect(c).toContain('sqe->fd = fixtures[FX_P].fd;');
    expect(c).toContain('static const struct t_order want_order[] = { { 1, 2 } };');
    await expect(c).toMatchFileSnapshot('./testing/golden/read-link-nop.c');
  });

  it('renders CQE_SKIP_SUCCESS and an absent CQE', () => {
    const c = render('skipSuccess');
    expect(c).toContain('/* NOP(link, cqe_skip_success) -> NOP */');
    expect(c).toContain('sqe->flags = IOSQE_IO_LINK | IOSQE_CQE_SKIP_SUCCESS;');
    expect(c).toContain('{ .user_data = 1, .kind = T_RES_ABSENT },');
  });

  it('renders a pending READ', () => {
    expect(render('pendingRead')).toContain('{ .user_data = 1, .kind = T_RES_PENDING },');
  });

  it('renders one function per submission for batches', () => {
    const c = render('batches');
    expect(c).toContain('/* NOP(link) */\nstatic int test_chain_1(struct io_uring *ring)');
    expect(c).toContain('/* NOP */\nstatic int test_chain_2(struct io_uring *ring)');
    expect(c).toContain('if (test_chain_1(&ring) || test_chain_2(&ring)) {');
    expect(c).toContain('static const int want_submitted[] = { 1, 1 };');
    expect(c).toContain('sqe->len = (__u32)-22;');
  });

  it('renders a LINK_TIMEOUT with a timespec and one_of results by errno name', () => {
    const c = render('linkTimeout');
    expect(c).toContain('static struct __kernel_timespec ts2_addr = { .tv_sec = 0, .tv_nsec = 10000000 };');
    expect(c).toContain('sqe->addr = (__u64)(uintptr_t)&ts2_addr;');
    expect(c).toContain('.kind = T_RES_ONE_OF, .nr_res = 2, .res = { -EINTR, -ECANCELED }');
    expect(c).toContain('.res = { -ETIME, -EALREADY }');
  });

  it('takes opcode numbers only from the profile', () => {
    const a = render('readLinkNop');
    const b = render('readLinkNop', { profile: { ...hostProfile, opcodes: { ...hostProfile.opcodes, READ: 99 } } });
    const diff = b.split('\n').filter((l, i) => l !== a.split('\n')[i]);
    expect(diff).toEqual(['#define OP_READ 99']);
  });

  it('renders a divergence as a second expectation', () => {
    const nop = sampleCases.nop!;
    const c = renderCase(nop, opts('nop', { divergence: { id: 'nop.div', reason: 'why', source: 'seed', expect: nop.expect } }));
    expect(c).toContain(' * Known divergence nop.div: why');
    expect(c).toContain('static const struct t_expect divergence = {');
    expect(c).toContain('ret = t_verdict(&want, &divergence, "nop.div", "why");');
  });

  it('rejects batches and submit counts that do not fit the case', () => {
    const c = sampleCases.batches!;
    expect(() => renderCase({ ...c, batches: [2, 1] }, opts('x'))).toThrow('do not split');
    const expect3: Expectation = { ...c.expect, submitted: [2] };
    expect(() => renderCase({ ...c, expect: expect3 } as Case & { expect: Expectation }, opts('x'))).toThrow('expect.submitted has 1 entries, but the case makes 2 submit calls');
  });

  it('renders a case without SQEs', () => {
    const empty = { ...sampleCases.nop!, sqes: [], expect: { submitted: [0], cqes: [], order: [] } };
    const c = renderCase(empty, opts('empty'));
    expect(c).toContain('/* no new SQEs */');
    expect(c).toContain('t_require_opcodes(&ring, NULL, 0)');
    expect(() => buildC(c, root)).not.toThrow();
  });

  describe('compiles with gcc -Wall -Wextra -Werror -O1', { timeout: 60_000 }, () => {
    for (const name of Object.keys(sampleCases)) {
      it(name, () => {
        expect(() => buildC(render(name as keyof typeof sampleCases), root)).not.toThrow();
      });
    }
    it('statically, with every fixture kind and a divergence', () => {
      const c = sampleCases.everyFixture!;
      const src = renderCase(c, opts('everyFixture', { divergence: { id: 'd', reason: 'r', source: 's', expect: c.expect } }));
      expect(() => buildC(src, root, { static: true })).not.toThrow();
    });
  });
});
