import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Case, CqeExpect, Expectation } from '../spec/types.js';
import { renderCase } from './renderCase.js';
import { formOf, type FormOptions as RenderOptions } from './testing/formOf.js';
import { buildC, runC } from './testing/buildC.js';
import { hostProfile } from './testing/hostProfile.js';
import { ringSpec } from './testing/ringSpec.js';
import { sampleCases } from './testing/sampleCases.js';

type Sample = Case & { expect: Expectation };

const root = mkdtempSync(join(tmpdir(), 'uringspec-host-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// Runs each program with TMPDIR pointing at a fresh dir, and checks it leaves that dir empty.
function run(c: Sample, more: Partial<RenderOptions> = {}, env: NodeJS.ProcessEnv = {}) {
  const bin = buildC(renderCase(formOf(c, { name: 'host/case', profile: hostProfile, rules: [], ...more }), { ring: ringSpec, profile: more.profile ?? hostProfile }), root);
  const tmp = mkdtempSync(join(root, 'tmp-'));
  const out = runC(bin, { ...process.env, TMPDIR: tmp, URINGSPEC_HELPER: '', ...env });
  expect(readdirSync(tmp), 'temp dir left behind').toEqual([]);
  return out;
}

const withCqes = (c: Sample, cqes: CqeExpect[], order: [number, number][] = c.expect.order): Sample => ({
  ...c, expect: { ...c.expect, cqes, order },
});

describe('rendered cases on this host', { timeout: 60_000 }, () => {
  for (const name of ['nop', 'readLinkNop', 'injectFailsLink', 'skipSuccess', 'pendingRead', 'batches', 'linkTimeout', 'spawnNothing']) {
    it(`${name} passes`, () => {
      const r = run(sampleCases[name]!);
      expect(r.stdout).not.toMatch(/^# /m);
      expect(r.code).toBe(0);
      expect(r.result.verdict).toBe('pass');
    });
  }

  it('reports the CQEs it saw and what each submit returned', () => {
    const r = run(sampleCases.readLinkNop!);
    expect(r.result.submitted).toEqual([2]);
    expect(r.result.cqes).toEqual([
      { user_data: 1, res: 4, flags: 0, seq: 0 },
      { user_data: 2, res: 0, flags: 0, seq: 1 },
    ]);
  });

  it('fails with one line per mismatch on a wrong expectation', () => {
    const r = run(withCqes(sampleCases.nop!, [{ user_data: 1, res: { eq: -22 }, because: [] }]));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('# user_data 1 (NOP): expected -22 (EINVAL), got 0\n');
    expect(r.result).toMatchObject({ verdict: 'fail', divergence: null, mismatches: ['user_data 1 (NOP): expected -22 (EINVAL), got 0'] });
  });

  it('catches a CQE that must not have come, a wrong order, flags and an unknown user_data', () => {
    const c = sampleCases.readLinkNop!;
    const r = run(withCqes(c, [{ user_data: 1, res: { pending: true }, flags: 0, because: [] }], [[2, 1]]));
    expect(r.code).toBe(1);
    expect(r.result.mismatches).toEqual([
      'user_data 1 (READ): expected no CQE yet (pending), got 4',
      'user_data 2 (NOP): unexpected CQE, res 0 flags 0x0',
      'order: user_data 2 (NOP) must complete before user_data 1 (READ), got seq 1 after 0',
    ]);
    const r2 = run(withCqes(c, [{ user_data: 1, res: { one_of: [3, 4] }, flags: 2, because: [] }, { user_data: 2, res: { min: 0 }, because: [] }], [[2, 1]]));
    expect(r2.result.mismatches).toEqual([
      'user_data 1 (READ): expected flags 0x2, got 0x0',
      'order: user_data 2 (NOP) must complete before user_data 1 (READ), got seq 1 after 0',
    ]);
  });

  it('names a known divergence that matches, and still fails', () => {
    const nop = sampleCases.nop!;
    const wrong = withCqes(nop, [{ user_data: 1, res: { eq: -22 }, because: [] }]);
    const r = run(wrong, { divergence: { id: 'nop.issue.div', reason: 'returns 0 here', source: 'test', expect: nop.expect } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('# matches known divergence nop.issue.div: returns 0 here\n');
    expect(r.result.divergence).toBe('nop.issue.div');
    const r2 = run(wrong, { divergence: { id: 'other', reason: 'x', source: 'test', expect: wrong.expect } });
    expect(r2.result.divergence).toBeNull();
    // an outcome nobody can predict: any miss matches, a pass stays a pass
    const r3 = run(wrong, { divergence: { id: 'racy', reason: 'anything goes', source: 'test' } });
    expect(r3.code).toBe(1);
    expect(r3.result.divergence).toBe('racy');
    expect(run(nop, { divergence: { id: 'racy', reason: 'anything goes', source: 'test' } }).result).toMatchObject({ verdict: 'pass', divergence: null });
  });

  it('skips an opcode the kernel does not have', () => {
    const r = run({ ...sampleCases.nop!, sqes: [{ op: 'UNSUPPORTED' }] });
    expect(r.code).toBe(77);
    expect(r.result).toMatchObject({ verdict: 'skip', skip_reason: 'opcode 255 (UNSUPPORTED) not supported by this kernel' });
  });

  it('lets an op left out of probeOps reach the kernel', () => {
    const c = withCqes({ ...sampleCases.nop!, sqes: [{ op: 'UNSUPPORTED' }] }, [{ user_data: 1, res: { eq: -22 }, because: [] }]);
    const r = run(c, { probeOps: [] });
    expect(r.result.mismatches).toEqual([]);
    expect(r.result.verdict).toBe('pass');
  });

  it('reports an empty spawn part when no task was expected or came', () => {
    expect(run(sampleCases.spawnNothing!).result).toMatchObject({ spawn: { tasks: [], reports: [] } });
    expect(run(sampleCases.nop!).result).not.toHaveProperty('spawn');
  });

  it('settles a submission before the next: a timer submitted first completes first', () => {
    const c: Sample = {
      ...sampleCases.nop!,
      batches: [1, 1],
      sqes: [{ op: 'TIMEOUT', fields: { addr: { timespec: { sec: 0, nsec: 30_000_000 } }, len: 1 } }, { op: 'NOP' }],
      expect: { submitted: [1, 1], cqes: [{ user_data: 1, res: { eq: -62 }, because: [] }, { user_data: 2, res: { eq: 0 }, because: [] }], order: [[1, 2]] },
    };
    expect(run(c).result.mismatches).toEqual(['order: user_data 1 (TIMEOUT) must complete before user_data 2 (NOP), got seq 1 after 0']);
    expect(run({ ...c, expect: { ...c.expect, settle: [[1]] } }).result).toMatchObject({ verdict: 'pass', mismatches: [] });
  });

  it('fails when the kernel refuses setup flags the case expects a ring with (a refusal is a case of its own)', () => {
    const r = run({ ...sampleCases.nop!, ring: { entries: 4, flags: ['IORING_SETUP_DEFER_TASKRUN'] } });
    expect(r.code).toBe(1);
    expect(r.result.mismatches).toEqual(['setup: io_uring_queue_init_params(4, IORING_SETUP_DEFER_TASKRUN): -22 (EINVAL), expected a ring']);
  });

  it('skips exec fixtures without an exec helper, and creates them all with one', () => {
    const c = sampleCases.everyFixture!;
    const r = run(c);
    expect(r.code).toBe(77);
    expect(r.result.skip_reason).toBe('no exec helper (set URINGSPEC_HELPER)');
    const r2 = run(c, {}, { URINGSPEC_HELPER: '/bin/true' });
    expect(r2.result.mismatches).toEqual([]);
    expect(r2.code).toBe(0);
  });
});
