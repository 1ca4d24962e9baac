import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Case, Expectation } from '../spec/types.js';
import { loadSpec } from '../spec/load/loadSpec.js';
import { renderCase } from './renderCase.js';
import { formOf, type FormOptions } from './testing/formOf.js';
import { buildC } from './testing/buildC.js';
import { hostProfile } from './testing/hostProfile.js';
import { ringSpec } from './testing/ringSpec.js';
import { sampleCases } from './testing/sampleCases.js';
import { spawnCases, spawnProfile } from './testing/spawnCases.js';

type RenderOptions = FormOptions;
const opts = (name: string, more: Partial<RenderOptions> = {}): RenderOptions => ({
  name: `sample/${name}`, profile: hostProfile, rules: ['nop.issue.ok', 'chain.link.fail'], ...more,
});
const { ops } = loadSpec();
const renderWith = (c: Case & { expect: Expectation }, o: RenderOptions) => renderCase(formOf(c, o), { ring: ringSpec, profile: o.profile, ops });
const root = mkdtempSync(join(tmpdir(), 'uringspec-render-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const render = (name: keyof typeof sampleCases, more: Partial<RenderOptions> = {}) => renderWith(sampleCases[name]!, opts(name, more));

describe('renderCase', () => {
  it('renders a lone NOP like a liburing test (golden)', async () => {
    const c = render('nop');
    expect(c.split('\n')[0]).toBe('/* SPDX-License-Identifier: MIT */');
    expect(c).toContain('/* Description: a lone NOP completes with 0 (rules: nop.issue.ok, chain.link.fail) */');
    expect(c).toContain('#include "liburing.h"');
    expect(c).toContain('_Static_assert(IORING_OP_NOP == 0, ');
    expect(c).toContain('\tio_uring_prep_nop(sqe);\n\tsqe->fd = 0;\n\tsqe->user_data = 1;\n');
    expect(c).toContain('/* NOP */\nstatic void test_chain(struct io_uring *ring)');
    expect(c).not.toContain('fixtures');
    expect(c).not.toContain('t_check_order');
    await expect(c).toMatchFileSnapshot('./testing/golden/nop.c');
  });

  it('renders READ(link) -> NOP with a pipe fixture (golden)', async () => {
    const c = render('readLinkNop');
    expect(c).toContain('/* READ(link) -> NOP */');
    expect(c).toContain('#ifndef IOSQE_IO_LINK\n#define IOSQE_IO_LINK 4\n#endif');
    expect(c).toContain('\treturn t_fixture_pipe(&fixtures[FX_P], "p", 4, 0, 0);');
    expect(c).toContain('static char buf1_addr[4];');
    expect(c).toContain('io_uring_prep_read(sqe, fixtures[FX_P].fd, buf1_addr, 4, 0);');
    expect(c).toContain('static const struct t_order want_order[] = { { 1, 2 } };');
    expect(c).toContain('.check_order = t_check_order');
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

  it('renders one function per chain, and one submit per batch', () => {
    const c = render('batches');
    expect(c).toContain('/* NOP(link) */\nstatic void test_chain_1(struct io_uring *ring)');
    expect(c).toContain('/* NOP */\nstatic void test_chain_2(struct io_uring *ring)');
    expect(c).toContain('\ttest_chain_1(&ring);\n\tt_submit(&ring);\n\ttest_chain_2(&ring);\n');
    expect(c).toContain('static const int want_submitted[] = { 1, 1 };');
    expect(c).toContain('sqe->len = (__u32)-22;');
  });

  it('waits for the CQEs a submission settles before the next one', () => {
    const c = sampleCases.batches!;
    const src = renderWith({ ...c, expect: { ...c.expect, settle: [[1]] } }, opts('settle'));
    expect(src).toContain('static const __u64 settle_2[] = { 1 };');
    expect(src).toContain('\ttest_chain_1(&ring);\n\tt_submit(&ring);\n\tt_settle(&ring, settle_2, 1, REAP_TIMEOUT_MS);\n\ttest_chain_2(&ring);\n');
    expect(render('batches')).not.toContain('t_settle');
    expect(() => renderWith({ ...c, expect: { ...c.expect, settle: [[1], [2]] } }, opts('x'))).toThrow('expect.settle has 2 entries, but the case has 1 later submit calls');
  });

  it('renders a LINK_TIMEOUT with a timespec and one_of results by errno name', () => {
    const c = render('linkTimeout');
    expect(c).toContain('static struct __kernel_timespec ts2_addr = { .tv_sec = 0, .tv_nsec = 10000000 };');
    expect(c).toContain('io_uring_prep_link_timeout(sqe, &ts2_addr, 0);');
    expect(c).toContain('.kind = T_RES_ONE_OF, .nr_res = 2, .res = { -EINTR, -ECANCELED }');
    expect(c).toContain('.res = { -ETIME, -EALREADY }');
  });

  it('takes opcode numbers only from the profile', () => {
    const a = render('readLinkNop');
    const b = render('readLinkNop', { profile: { ...hostProfile, opcodes: { ...hostProfile.opcodes, READ: 99 } } });
    const diff = b.split('\n').filter((l, i) => l !== a.split('\n')[i]);
    expect(diff).toEqual(["_Static_assert(IORING_OP_READ == 99, \"liburing's IORING_OP_READ is opcode 99 of host (host)\");"]);
  });

  it('renders a divergence as a second expectation', () => {
    const nop = sampleCases.nop!;
    const c = renderWith(nop, opts('nop', { divergence: { id: 'nop.div', reason: 'why', source: 'seed', expect: nop.expect } }));
    expect(c).toContain(' * Known divergence nop.div: why');
    expect(c).toContain('static const struct t_expect divergence = {');
    expect(c).toContain('ret = t_verdict(&want, &divergence, "nop.div", "why");');
  });

  it('renders a divergence without an expectation as one that any miss matches', () => {
    const c = render('nop', { divergence: { id: 'racy', reason: 'why', source: 'seed' } });
    expect(c).toContain(' * Known divergence racy: why');
    expect(c).not.toContain('struct t_expect divergence');
    expect(c).toContain('ret = t_verdict(&want, NULL, "racy", "why");');
  });

  it('rejects batches and submit counts that do not fit the case', () => {
    const c = sampleCases.batches!;
    expect(() => renderWith({ ...c, batches: [2, 1] }, opts('x'))).toThrow('do not split');
    const expect3: Expectation = { ...c.expect, submitted: [2] };
    expect(() => renderWith({ ...c, expect: expect3 } as Case & { expect: Expectation }, opts('x'))).toThrow('expect.submitted has 1 entries, but the case makes 2 submit calls');
  });

  it('renders a case without SQEs', () => {
    const empty = { ...sampleCases.nop!, sqes: [], expect: { submitted: [0], cqes: [], order: [] } };
    const c = renderWith(empty, opts('empty'));
    expect(c).not.toContain('test_chain');
    expect(c).toContain('\tt_submit(&ring);');
    expect(c).toContain('t_require_opcodes(&ring, NULL, 0)');
    expect(() => buildC(c, root)).not.toThrow();
  });

  it('probes only the ops it is told to, so that an unknown op reaches the kernel', () => {
    const c = { ...sampleCases.nop!, sqes: [{ op: 'UNSUPPORTED' }, { op: 'NOP' }] };
    expect(renderWith(c, opts('u'))).toContain('\t{ IORING_OP_UNSUPPORTED, "UNSUPPORTED" }, { IORING_OP_NOP, "NOP" },\n');
    const some = renderWith(c, opts('u', { probeOps: ['NOP'] }));
    expect(some).toContain('static const struct t_opcode case_opcodes[] = {\n\t{ IORING_OP_NOP, "NOP" },\n};');
    expect(some).toContain('#define IORING_OP_UNSUPPORTED 255');
    expect(renderWith(c, opts('u', { probeOps: [] }))).toContain('t_require_opcodes(&ring, NULL, 0)');
    expect(() => renderWith(c, opts('u', { probeOps: ['READ'] }))).toThrow('probeOps names READ, which the case does not use');
  });

  describe('spawned tasks', () => {
    const spawn = (name: keyof typeof spawnCases, more: Partial<RenderOptions> = {}) =>
      renderWith(spawnCases[name]!, opts(name, { profile: spawnProfile, ...more }));
    const withTasks = (tasks: NonNullable<Expectation['spawn']>['tasks']) => {
      const c = spawnCases.execAndKilled!;
      return { ...c, expect: { ...c.expect, spawn: { tasks } } };
    };

    it('opens the report pipe before the first submit and collects tasks after the CQEs', () => {
      const c = spawn('execAndKilled');
      const at = (s: string) => c.indexOf(s);
      expect(at('\tret = make_fixtures();')).toBeLessThan(at('\tret = t_spawn_begin();'));
      expect(at('\tret = t_spawn_begin();')).toBeLessThan(at('\tt_submit(&ring);'));
      expect(at('\tt_reap(&ring, &want, REAP_TIMEOUT_MS);\n\tt_spawn_collect(2, REAP_TIMEOUT_MS);\n\tret = t_verdict(')).toBeGreaterThan(0);
      expect(c).toContain('\t.spawn = &want_spawn, .check_spawn = t_check_spawn,\n};');
      expect(c).toContain('ret = t_fixture_exec_helper(&fixtures[FX_H], "h", 3, 0);');
      expect(c).toContain('ret = t_fixture_dir(&fixtures[FX_TOP], "top", 1, 0);');
      expect(c).toContain('sqe->fd = fixtures[FX_H].fd;');
    });

    it('renders tasks, reports and fixture fd keys as tables', () => {
      const c = spawn('pathSearch');
      expect(c).toContain('static const char *const want_report1_argv[] = { "h", "x" };');
      expect(c).toContain('static const struct t_fd_ref want_report1_open[] = { { "p0.r", &fixtures[FX_P0].fd }, { "p0.w", &fixtures[FX_P0].wfd }, { "f0", &fixtures[FX_F0].fd }, { "top", &fixtures[FX_TOP].fd }, { "h", &fixtures[FX_H].fd } };');
      expect(c).toContain('\t.argv = { 1, want_report1_argv, 2 },\n\t.envp = { 1, want_report1_envp, 1 },\n\t.cwd = ".",');
      expect(c).toContain('\t.fds_closed = NULL, .nr_fds_closed = 0,');
      expect(c).toContain('\t/* the task of user_data 1: exec, exit 3 */\n\t{ .head = 1, .outcome = T_TASK_EXEC, .exit = 3, .report = &want_report1, .reap = T_REAP_ANY, .sigchld = -1 },');
      const k = spawn('execAndKilled');
      expect(k).toContain('\t.argv = { 1, NULL, 0 },\n\t.envp = { 1, NULL, 0 },');
      expect(k).toContain('{ .head = 3, .outcome = T_TASK_KILLED, .exit = 0, .report = NULL, .reap = T_REAP_ANY, .sigchld = -1 },');
    });

    it('shares one table between tasks that expect the same report, and leaves out what is not given', () => {
      const r = { argv: ['h'] };
      const c = renderWith(withTasks([
        { head: 1, outcome: 'exec', report: r }, { head: 3, outcome: 'exec', report: { ...r } }, { head: 5, outcome: 'none' },
      ]), opts('x', { profile: spawnProfile }));
      expect(c.match(/\.report = &want_report1, /g)).toHaveLength(2);
      expect(c).not.toContain('want_report2');
      expect(c).toContain('\t.envp = { 0, NULL, 0 },\n\t.cwd = NULL,');
      expect(c).toContain('{ .head = 5, .outcome = T_TASK_NONE, .exit = 0, .report = NULL, .reap = T_REAP_ANY, .sigchld = -1 },');
      expect(c).toContain('t_spawn_collect(2, REAP_TIMEOUT_MS);');
    });

    it('waits for the tasks of either expectation when a divergence expects more', () => {
      const c = spawnCases.pathSearch!;
      const div = { ...c.expect, spawn: { tasks: [{ head: 1, outcome: 'killed' as const }, { head: 1, outcome: 'killed' as const }] } };
      const src = renderWith(c, opts('d', { profile: spawnProfile, divergence: { id: 'd', reason: 'r', source: 's', expect: div } }));
      expect(src).toContain('t_spawn_collect(2, REAP_TIMEOUT_MS);');
      expect(src).toContain('\t.spawn = &divergence_spawn, .check_spawn = t_check_spawn,');
    });

    it('leaves the spawn runtime out of a case that expects no tasks', () => {
      expect(render('everyFixture')).not.toMatch(/t_spawn_begin|t_spawn_collect|t_check_spawn|T_REPORT_FD/);
      expect(render('spawnNothing')).toContain('t_spawn_collect(0, REAP_TIMEOUT_MS);');
    });

    it('rejects what it cannot check, naming it', () => {
      const bad = (report: object) => () => renderWith(withTasks([{ head: 1, outcome: 'exec', report }]), opts('x', { profile: spawnProfile }));
      expect(bad({ fds_open: ['q'] })).toThrow('task 1 report: fd q: no fixture named "q"');
      expect(bad({ fds_closed: ['m'] })).toThrow('fd m: fixture m (exec-missing) has no fd');
      expect(bad({ fds_open: ['f0.w'] })).toThrow('fd f0.w: fixture f0 (file) has no write end');
      expect(() => renderWith(withTasks([{ head: 1, outcome: 'killed', exit: 1 }]), opts('x', { profile: spawnProfile }))).toThrow('exit is only for an exec outcome');
      const many = Array.from({ length: 33 }, () => ({ head: 1, outcome: 'killed' as const }));
      expect(() => renderWith(withTasks(many), opts('x', { profile: spawnProfile }))).toThrow('33 spawned tasks, at most 32');
    });

    it('gives each exec helper its own exit code', () => {
      const c = spawnCases.pathSearch!;
      const fixtures = { ...c.fixtures, s: { kind: 'exec-script', exit: 5 }, s2: { kind: 'exec-script', interpreter: 'missing' } };
      const src = renderWith({ ...c, fixtures }, opts('x', { profile: spawnProfile }));
      expect(src).toContain('ret = t_fixture_exec_helper(&fixtures[FX_H], "h", 3, 0);');
      expect(src).toContain('ret = t_fixture_exec_script(&fixtures[FX_S], "s", 0, 5);');
      expect(src).toContain('ret = t_fixture_exec_script(&fixtures[FX_S2], "s2", 1, 0);');
    });
  });

  describe('compiles with gcc -Wall -Wextra -Werror -O1', { timeout: 60_000 }, () => {
    for (const name of Object.keys(sampleCases)) {
      it(name, () => {
        expect(() => buildC(render(name as keyof typeof sampleCases), root)).not.toThrow();
      });
    }
    it('statically, with every fixture kind and a divergence', () => {
      const c = sampleCases.everyFixture!;
      const src = renderWith(c, opts('everyFixture', { divergence: { id: 'd', reason: 'r', source: 's', expect: c.expect } }));
      expect(() => buildC(src, root, { static: true })).not.toThrow();
    });
    for (const name of Object.keys(spawnCases)) {
      it(`${name} (a spawn chain), dynamically and statically`, () => {
        const c = spawnCases[name]!;
        const src = renderWith(c, opts(name, { profile: spawnProfile, divergence: { id: 'd', reason: 'r', source: 's', expect: c.expect } }));
        expect(() => buildC(src, root)).not.toThrow();
        expect(() => buildC(src, root, { static: true })).not.toThrow();
      });
    }
  });
});
