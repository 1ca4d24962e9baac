import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Case, CqeExpect, Expectation } from '../spec/types.js';
import { loadSpec } from '../spec/load/loadSpec.js';
import { readCase } from '../spec/case/parseCase.js';
import { predict } from '../generators/oracle/predict.js';
import { renderCase } from '../c-templates/renderCase.js';
import { formOf } from '../c-templates/testing/formOf.js';
import { runInTmp } from '../c-templates/testing/buildC.js';
import { ringSpec } from '../c-templates/testing/ringSpec.js';
import { prepareCase } from './prepareCase.js';
import { runOnHostExecutor } from './executor/runOnHost.js';
import { cacheDir } from './context.js';

// MSG_RING's message to the case's own ring: a CQE keyed by a user_data no SQE has (off), res len, posted before the
// request's own CQE. The predictions pass on the host; what a kernel that posted a wrong message would pass (a wrong
// res, wrong flags, no message, the message after the request's CQE) fails, standalone and in the executor.
const spec = loadSpec();
const profile = spec.profiles['upstream-6.18']!;
const root = mkdtempSync(join(tmpdir(), 'uringspec-msgring-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Sample = Case & { expect: Expectation };
const load = (file: string): Sample => {
  const c = readCase(join(__dirname, '..', 'cases', file), spec);
  return { ...c, expect: predict(spec, profile, c) };
};
const withCqes = (e: Expectation, f: (q: CqeExpect) => CqeExpect | undefined): Expectation => ({ ...e, cqes: e.cqes.flatMap((q) => f(q) ?? []) });
const run = (c: Sample) => runInTmp(renderCase(formOf(c, { name: 'host/msg-ring', profile }), { ring: ringSpec, profile, ops: spec.ops }), root);

describe('MSG_RING to the case\'s own ring on the host', { timeout: 120_000 }, () => {
  it('predicts the message CQE under off, posted by the MSG_RING, before its own CQE', () => {
    const c = load('msg-ring/data-to-own-ring.yaml');
    const msg = c.expect.cqes.find((q) => q.user_data === 4660);
    expect(msg).toMatchObject({ res: { eq: 16 }, posted_by: 1, flags: 0 });
    expect(c.expect.order).toContainEqual([4660, 1]);
    expect(run(c).result.mismatches).toEqual([]);
  });

  it('a planted wrong message res fails, naming its user_data', () => {
    const c = load('msg-ring/data-to-own-ring.yaml');
    const r = run({ ...c, expect: withCqes(c.expect, (q) => (q.user_data === 4660 ? { ...q, res: { eq: 17 } } : q)) });
    expect(r.code).toBe(1);
    expect(r.result.mismatches.join('\n')).toMatch(/user_data 4660/);
  });

  it('a planted expectation without the message (a kernel that posts none) fails on the CQE that came', () => {
    const c = load('msg-ring/data-to-own-ring.yaml');
    const r = run({ ...c, expect: { ...withCqes(c.expect, (q) => (q.user_data === 4660 ? undefined : q)), order: [[1, 2]] } });
    expect(r.code).toBe(1);
    expect(r.result.mismatches.join('\n')).toMatch(/user_data 4660.*unexpected CQE/);
  });

  it('a planted order with the message after the request\'s own CQE fails', () => {
    const c = load('msg-ring/data-to-own-ring.yaml');
    const r = run({ ...c, expect: { ...c.expect, order: [[1, 4660]] } });
    expect(r.code).toBe(1);
    expect(r.result.mismatches.join('\n')).toMatch(/order/);
  });

  it('IORING_MSG_RING_FLAGS_PASS: the message carries file_index as its flags; planted flags 0 fail', () => {
    const c = load('msg-ring/res-and-flags-passed.yaml');
    expect(c.expect.cqes.find((q) => q.user_data === 1000001)).toMatchObject({ res: { eq: -1 }, flags: 4, posted_by: 1 });
    expect(run(c).result.mismatches).toEqual([]);
    const r = run({ ...c, expect: withCqes(c.expect, (q) => (q.user_data === 1000001 ? { ...q, flags: 0 } : q)) });
    expect(r.code).toBe(1);
    expect(r.result.mismatches.join('\n')).toMatch(/user_data 1000001.*flags/);
  });

  it('on a DEFER_TASKRUN ring the message comes from task work: no order is promised, and it still comes', () => {
    const c = load('msg-ring/defer-taskrun.yaml');
    expect(c.expect.order).toEqual([]);
    expect(run(c).result.mismatches).toEqual([]);
    const r = run({ ...c, expect: withCqes(c.expect, (q) => (q.user_data === 4661 ? { ...q, res: { eq: 5 } } : q)) });
    expect(r.result.verdict).toBe('fail');
  });

  it('to another ring: no message on the case\'s ring (a planted one, as if posted to the wrong ring, fails); SEND_FD results', () => {
    const data = load('msg-ring/other-ring-data.yaml');
    expect(data.expect.cqes.map((q) => q.user_data)).toEqual([1, 2]);
    expect(run(data).result.mismatches).toEqual([]);
    const wrongRing = { ...data.expect, cqes: [...data.expect.cqes, { user_data: 4660, res: { eq: 5 }, flags: 0, posted_by: 1, because: ['msg-ring.issue.data-posted'] }] };
    const r = run({ ...data, expect: wrongRing });
    expect(r.code).toBe(1);
    expect(r.result.mismatches.join('\n')).toMatch(/user_data 4660/);
    const send = load('msg-ring/send-fd-other-ring.yaml');
    expect(run(send).result.mismatches).toEqual([]);
    // a kernel that refused the empty target slot's install (as if the table were the source's) would give -EBADF
    const bad = run({ ...send, expect: withCqes(send.expect, (q) => (q.user_data === 1 ? { ...q, res: { eq: -9 } } : q)) });
    expect(bad.code).toBe(1);
    expect(bad.result.mismatches.join('\n')).toMatch(/user_data 1 /);
  });

  it('the executor checks the same', async () => {
    const file = 'msg-ring/data-to-own-ring.yaml';
    const pc = prepareCase(spec, profile, file, readCase(join(__dirname, '..', 'cases', file), spec));
    const want = withCqes(pc.form.want, (q) => (q.user_data === 4660 ? { ...q, res: { eq: 15 } } : q));
    const bad = { ...pc, id: `${pc.id}-planted`, c: { ...pc.c, expect: want }, form: { ...pc.form, id: `${pc.form.id}-planted`, want } };
    const v = await runOnHostExecutor([pc, bad], { spec, cacheDir: cacheDir(), timeoutMs: 20_000 });
    expect(v.map((x) => x.kind)).toEqual(['pass', 'fail']);
    expect(v[1]!.reason).toMatch(/user_data 4660/);
  });
});
