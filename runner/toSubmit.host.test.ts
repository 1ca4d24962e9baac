import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Case, Expectation } from '../spec/types.js';
import { loadSpec } from '../spec/load/loadSpec.js';
import { parseCase, readCase } from '../spec/case/parseCase.js';
import { predict } from '../generators/oracle/predict.js';
import { renderCase } from '../c-templates/renderCase.js';
import { formOf } from '../c-templates/testing/formOf.js';
import { runInTmp } from '../c-templates/testing/buildC.js';
import { ringSpec } from '../c-templates/testing/ringSpec.js';
import { encodeExecForm } from '../c-templates/encodeExecForm.js';
import { prepareCase } from './prepareCase.js';
import { runOnHostExecutor } from './executor/runOnHost.js';
import { cacheDir } from './context.js';

// to_submit: io_uring_enter() consumes at most that many of the SQEs waiting in the SQ ring. Planted: what
// io_uring_submit() (every waiting SQE) would give — all counts consumed at once, the left-over SQE's CQE — fails.
const spec = loadSpec();
const profile = spec.profiles['upstream-6.18']!;
const FEWER = 'to-submit/fewer-than-waiting.yaml';
const LAST = 'to-submit/last-enter-leaves-one.yaml';
const root = mkdtempSync(join(tmpdir(), 'uringspec-tosub-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Sample = Case & { expect: Expectation };
const load = (file: string): Sample => {
  const c = readCase(join(__dirname, '..', 'cases', file), spec);
  return { ...c, expect: predict(spec, profile, c) };
};
const run = (c: Sample) => runInTmp(renderCase(formOf(c, { name: 'host/tosub', profile }), { ring: ringSpec, profile, ops: spec.ops }), root);
const allAtOnce = (e: Expectation): Expectation => ({ ...e, submitted: [3, 1] });
const leftOverPosts = (e: Expectation): Expectation => ({ ...e, cqes: e.cqes.map((q) => (q.user_data === 2 ? { ...q, res: { eq: 0 } } : q)) });

describe('to_submit smaller than the SQEs waiting', { timeout: 120_000 }, () => {
  it('the oracle consumes min(to_submit, waiting) per enter', () => {
    expect(load(FEWER).expect.submitted).toEqual([1, 3]);
    expect(load(LAST).expect.cqes.map((q) => q.res)).toEqual([{ eq: 0 }, { absent: true }]);
    expect(load('to-submit/splits-a-link.yaml').expect.submitted).toEqual([2, 2]);
  });

  it('renders io_uring_enter() with its to_submit, and encodes it for the executor', () => {
    const form = formOf(load(FEWER), { name: 'host/tosub', profile });
    const src = renderCase(form, { ring: ringSpec, profile, ops: spec.ops });
    expect(src).toMatch(/t_submit_n\(&ring, 1\);[\s\S]*t_submit_n\(&ring, 3\);/);
    expect(encodeExecForm(form)).toMatch(/^K 2 1 3$/m);
  });

  it('passes standalone; planted io_uring_submit() counts and a CQE of the left-over SQE fail', () => {
    const f = load(FEWER);
    expect(run(f).result.mismatches).toEqual([]);
    const bad = run({ ...f, expect: allAtOnce(f.expect) });
    expect(bad.code).toBe(1);
    expect(bad.result.mismatches.join('\n')).toMatch(/submit/);
    const l = load(LAST);
    expect(run(l).result.mismatches).toEqual([]);
    expect(run({ ...l, expect: leftOverPosts(l.expect) }).code).toBe(1);
  });

  it('the executor checks the same', async () => {
    const pcs = [FEWER, LAST].map((f) => prepareCase(spec, profile, f, readCase(join(__dirname, '..', 'cases', f), spec)));
    const plant = (pc: (typeof pcs)[number], change: (e: Expectation) => Expectation) => {
      const want = change(pc.form.want);
      return { ...pc, id: `${pc.id}-planted`, c: { ...pc.c, expect: want }, form: { ...pc.form, id: `${pc.form.id}-planted`, want } };
    };
    const v = await runOnHostExecutor([pcs[0]!, plant(pcs[0]!, allAtOnce), pcs[1]!, plant(pcs[1]!, leftOverPosts)], { spec, cacheDir: cacheDir(), timeoutMs: 20_000 });
    expect(v.map((x) => x.kind)).toEqual(['pass', 'fail', 'pass', 'fail']);
  });

  it('is refused with a count per enter missing, or on an SQPOLL ring', () => {
    const head = 'description: x\nrules: [chain.submit.to-submit]\nprovenance: { kind: hand-written }\n';
    const sqes = 'sqes:\n  - { op: NOP }\n  - { op: NOP }\nbatches: [1, 1]\n';
    expect(() => parseCase('n.yaml', `${head}ring: { entries: 4 }\n${sqes}to_submit: [1]\n`, spec)).toThrow(/n\.yaml:\d+:\d+: .*to_submit has 1 entries, but the case makes 2/);
    expect(() => parseCase('p.yaml', `${head}ring: { entries: 4, flags: [IORING_SETUP_SQPOLL] }\n${sqes}to_submit: [1, 1]\n`, spec)).toThrow(/p\.yaml:\d+:\d+: .*SQPOLL/);
  });
});
