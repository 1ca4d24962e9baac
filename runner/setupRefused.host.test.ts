import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSpec } from '../spec/load/loadSpec.js';
import { readCase } from '../spec/case/parseCase.js';
import { predict } from '../generators/oracle/predict.js';
import { renderCase } from '../c-templates/renderCase.js';
import { formOf } from '../c-templates/testing/formOf.js';
import { runInTmp } from '../c-templates/testing/buildC.js';
import { ringSpec } from '../c-templates/testing/ringSpec.js';
import { prepareCase, type PreparedCase } from './prepareCase.js';
import { runOnHostExecutor } from './executor/runOnHost.js';
import { cacheDir } from './context.js';
import type { Case, Expectation } from '../spec/types.js';

// A ring io_uring_setup() must refuse (a setup.* rule of spec/ring.yaml): the oracle predicts the error, the
// runtime checks it, standalone and in the executor; a planted kernel that accepts the flags fails it.
const spec = loadSpec();
const profile = spec.profiles['upstream-6.18']!;
const FILE = 'setup/sqpoll-refuses-taskrun-flags.yaml';
const root = mkdtempSync(join(tmpdir(), 'uringspec-setup-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const load = () => readCase(join(__dirname, '..', 'cases', FILE), spec);
/** The case with its refused flags swapped for ones every kernel takes: what a kernel that accepted them would do. */
const accepted = (c: Case): Case => ({ ...c, ring: { ...c.ring, flags: ['IORING_SETUP_SQPOLL'] } });

function run(c: Case, want: Expectation) {
  return runInTmp(renderCase(formOf({ ...c, expect: want }, { name: 'host/setup', profile }), { ring: ringSpec, profile, ops: spec.ops }), root);
}

describe('a ring io_uring_setup() refuses', { timeout: 120_000 }, () => {
  it('is predicted from the setup rules of spec/ring.yaml: the error, the rule, and nothing submitted', () => {
    const want = predict(spec, profile, load());
    expect(want).toEqual({ setup: { res: -spec.ring.errno.EINVAL!, because: ['setup.sqpoll.no-taskrun-flags'] }, submitted: [], cqes: [], order: [] });
    expect(predict(spec, profile, accepted(load())).setup).toBeUndefined();
  });

  it('passes standalone; a planted kernel that takes the flags fails with the setup named', () => {
    const c = load();
    const want = predict(spec, profile, c);
    expect(run(c, want).result.mismatches).toEqual([]);
    const took = run(accepted(c), want);
    expect(took.code).toBe(1);
    expect(took.result.mismatches).toEqual(['setup: io_uring_queue_init_params(4, IORING_SETUP_SQPOLL): 0, expected -22 (EINVAL)']);
  });

  it('the executor checks the same', async () => {
    const pc = prepareCase(spec, profile, FILE, load());
    const planted: PreparedCase = { ...pc, id: `${pc.id}-planted`, form: { ...pc.form, id: `${pc.form.id}-planted`, ring: { ...pc.form.ring, flags: ['IORING_SETUP_SQPOLL'], flagBits: spec.ring.setup_flags.find((f) => f.name === 'IORING_SETUP_SQPOLL')!.value } } };
    const v = await runOnHostExecutor([pc, planted], { spec, cacheDir: cacheDir(), timeoutMs: 20_000 });
    expect(v.map((x) => x.kind)).toEqual(['pass', 'fail']);
    expect(v[1]!.reason).toMatch(/setup: io_uring_queue_init_params\(4, IORING_SETUP_SQPOLL\): 0, expected -22/);
  });
});
