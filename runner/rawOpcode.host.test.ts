import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Case, Expectation } from '../spec/types.js';
import { loadSpec } from '../spec/load/loadSpec.js';
import { parseCase, readCase } from '../spec/case/parseCase.js';
import { writeCase } from '../spec/case/writeCase.js';
import { predict } from '../generators/oracle/predict.js';
import { renderCase } from '../c-templates/renderCase.js';
import { formOf } from '../c-templates/testing/formOf.js';
import { runInTmp } from '../c-templates/testing/buildC.js';
import { ringSpec } from '../c-templates/testing/ringSpec.js';
import { encodeExecForm } from '../c-templates/encodeExecForm.js';
import { prepareCase } from './prepareCase.js';
import { runOnHostExecutor } from './executor/runOnHost.js';
import { cacheDir } from './context.js';

// op: { raw: n }: the number itself in the SQE; the oracle predicts it from the profile (op_last, the op at n).
// Planted: what a tree whose IORING_OP_LAST were 62 would do (-EINVAL for 62) fails.
const spec = loadSpec();
const host = spec.profiles['upstream-6.18']!;
const rfc = spec.profiles['rfc-v1-6.12']!;
const FILE = 'raw-opcode/op-last-6.18.yaml';
const root = mkdtempSync(join(tmpdir(), 'uringspec-raw-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Sample = Case & { expect: Expectation };
const load = (): Sample => {
  const c = readCase(join(__dirname, '..', 'cases', FILE), spec);
  return { ...c, expect: predict(spec, host, c) };
};
const refused62 = (e: Expectation): Expectation => ({ ...e, cqes: e.cqes.map((q) => (q.user_data === 1 ? { ...q, res: { eq: -22 } } : q)) });
const one = (op: string, flags = '') => parseCase('r.yaml', `description: x\nrules: [init.opcode.unknown]\n${flags}provenance: { kind: hand-written }\nring: { entries: 4 }\nsqes:\n  - { op: ${op} }\n`, spec);
const res = (c: Case, p = host) => predict(spec, p, c).cqes[0]!.res;

describe('a raw opcode in an SQE', { timeout: 120_000 }, () => {
  it('is predicted per profile: at or above op_last -EINVAL, below it the op the tree has at that number', () => {
    expect(res(one('{ raw: 63 }'))).toEqual({ eq: -22 });
    expect(res(one('{ raw: 62 }'))).toEqual({ eq: -14 }); // PIPE on 6.18, NULL fds
    expect(res(one('{ raw: 62 }'), rfc)).toEqual({ eq: -22 }); // at or above the RFC tree's 60
    expect(res(one('{ raw: 60 }'), rfc)).toEqual({ eq: -22 });
    expect(res(one('{ raw: 0 }'))).toEqual({ eq: 0 }); // NOP
  });

  it('is refused below op_last where the spec knows no op, and as a spawn op outside vm-only', () => {
    // the first number below 6.18's op_last that names no op of the spec (it moves as ops are added)
    const known = new Set(Object.values(host.opcodes));
    const unknown = Array.from({ length: Number(host.features.op_last) }, (_, n) => n).find((n) => !known.has(n))!;
    expect(() => predict(spec, host, one(`{ raw: ${unknown} }`))).toThrow(new RegExp(`raw opcode ${unknown} is no op the spec knows on upstream-6.18`));
    expect(() => predict(spec, rfc, one('{ raw: 59 }'))).toThrow(/raw opcode 59 is EXEC on rfc-v1-6.12, an op that spawns: the case must be vm-only/);
    expect(res(one('{ raw: 59 }', 'flags: [vm-only]\n'), rfc)).toEqual({ eq: -22 });
  });

  it('writes back as op: { raw: n }, renders the number and encodes it for the executor', () => {
    const c = load();
    expect(writeCase(c)).toMatch(/op:\s*\{?\s*raw: 62\b/);
    expect(parseCase('back.yaml', writeCase(c), spec).sqes.map((q) => q.op)).toEqual(['#62', '#63']);
    const form = formOf(c, { name: 'host/raw', profile: host });
    expect(form.probe).toEqual([]);
    expect(renderCase(form, { ring: ringSpec, profile: host, ops: spec.ops })).toMatch(/sqe->opcode = 63;/);
    expect(encodeExecForm(form)).toMatch(/^Q 1 62 0 /m);
  });

  it('passes standalone and in the executor; a planted -EINVAL for 62 fails both', async () => {
    const c = load();
    const run = (e: Expectation) => runInTmp(renderCase(formOf({ ...c, expect: e }, { name: 'host/raw', profile: host }), { ring: ringSpec, profile: host, ops: spec.ops }), root);
    expect(run(c.expect).result.mismatches).toEqual([]);
    const bad = run(refused62(c.expect));
    expect(bad.code).toBe(1);
    expect(bad.result.mismatches.join('\n')).toMatch(/user_data 1/);
    const pc = prepareCase(spec, host, FILE, readCase(join(__dirname, '..', 'cases', FILE), spec));
    const want = refused62(pc.form.want);
    const planted = { ...pc, id: `${pc.id}-planted`, c: { ...pc.c, expect: want }, form: { ...pc.form, id: `${pc.form.id}-planted`, want } };
    const v = await runOnHostExecutor([pc, planted], { spec, cacheDir: cacheDir(), timeoutMs: 20_000 });
    expect(v.map((x) => x.kind)).toEqual(['pass', 'fail']);
  });
});
