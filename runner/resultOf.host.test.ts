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

// { result_of: ud }: the fd an earlier batch's OPENAT returned, filled in by the runtime from that CQE. Planted: what a
// runtime that ignored it (no fd: -EBADF) or a model that kept the fd open after its CLOSE would see fails.
const spec = loadSpec();
const profile = spec.profiles['upstream-6.18']!;
const READ = 'result-of/opened-fd-read-in-next-batch.yaml';
const CLOSED = 'result-of/closed-opened-fd-is-ebadf.yaml';
const root = mkdtempSync(join(tmpdir(), 'uringspec-resof-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Sample = Case & { expect: Expectation };
const load = (file: string): Sample => {
  const c = readCase(join(__dirname, '..', 'cases', file), spec);
  return { ...c, expect: predict(spec, profile, c) };
};
const withRes = (e: Expectation, ud: number, eq: number): Expectation => ({ ...e, cqes: e.cqes.map((q) => (q.user_data === ud ? { ...q, res: { eq } } : q)) });
const run = (c: Sample) => runInTmp(renderCase(formOf(c, { name: 'host/resof', profile }), { ring: ringSpec, profile, ops: spec.ops }), root);
const head = 'description: x\nrules: [openat.issue.success]\nprovenance: { kind: hand-written }\nring: { entries: 4 }\nfixtures:\n  f: { kind: file, size: 8 }\n';
const open = '  - { op: OPENAT, fields: { fd: -100, addr: { path: f }, rw_flags: 0 } }\n';

describe('result_of: an earlier request\'s fd in a later batch', { timeout: 120_000 }, () => {
  it('the oracle follows the opened file: its own position, closed by CLOSE', () => {
    expect(load(READ).expect.cqes.map((q) => q.res)).toEqual([{ min: 0 }, { eq: 8 }, { eq: 12 }, { eq: 4 }]);
    expect(load(CLOSED).expect.cqes.map((q) => q.res)).toEqual([{ min: 0 }, { eq: 0 }, { eq: -9 }]);
  });

  it('renders a read of the reaped CQE, and encodes it for the executor', () => {
    const c = load(READ);
    const form = formOf(c, { name: 'host/resof', profile });
    expect(renderCase(form, { ring: ringSpec, profile, ops: spec.ops })).toMatch(/t_result_of\(1\)/);
    expect(encodeExecForm(form)).toMatch(/^Q 2 .* 0 r 1( |$)/m);
  });

  it('passes standalone; a planted -EBADF (a runtime that filled no fd) and a planted open fd after CLOSE fail', () => {
    const r = load(READ);
    expect(run(r).result.mismatches).toEqual([]);
    const noFd = run({ ...r, expect: withRes(r.expect, 2, -9) });
    expect(noFd.code).toBe(1);
    expect(noFd.result.mismatches.join('\n')).toMatch(/user_data 2/);
    const c = load(CLOSED);
    expect(run(c).result.mismatches).toEqual([]);
    const stillOpen = run({ ...c, expect: withRes(c.expect, 3, 8) });
    expect(stillOpen.code).toBe(1);
    expect(stillOpen.result.mismatches.join('\n')).toMatch(/user_data 3/);
  });

  it('the executor checks the same', async () => {
    const pcs = [READ, CLOSED].map((f) => prepareCase(spec, profile, f, readCase(join(__dirname, '..', 'cases', f), spec)));
    const plant = (pc: (typeof pcs)[number], ud: number, eq: number) => {
      const want = withRes(pc.form.want, ud, eq);
      return { ...pc, id: `${pc.id}-planted`, c: { ...pc.c, expect: want }, form: { ...pc.form, id: `${pc.form.id}-planted`, want } };
    };
    const v = await runOnHostExecutor([pcs[0]!, plant(pcs[0]!, 2, -9), pcs[1]!, plant(pcs[1]!, 3, 8)], { spec, cacheDir: cacheDir(), timeoutMs: 20_000 });
    expect(v.map((x) => x.kind)).toEqual(['pass', 'fail', 'pass', 'fail']);
  });

  it('is refused unless it names a settled request of an earlier batch, in the fd field', () => {
    const read = (fd: string, extra = '') => `${head}sqes:\n${open}  - { op: READ, fields: { fd: ${fd}, addr: { buf: 8 }, len: 8 } }\n${extra}`;
    expect(() => parseCase('same.yaml', read('{ result_of: 1 }'), spec)).toThrow(/same\.yaml:9:\d+: .*not in an earlier batch/);
    expect(() => parseCase('none.yaml', read('{ result_of: 9 }', 'batches: [1, 1]\n'), spec)).toThrow(/none\.yaml:9:\d+: .*no SQE of the case has user_data 9/);
    expect(() => parseCase('nosettle.yaml', read('{ result_of: 1 }', 'batches: [1, 1]\nsettle: false\n'), spec)).toThrow(/nosettle\.yaml:9:\d+: .*settle/);
    const slot = `${head}sqes:\n${open}  - { op: READ, fields: { fd: { fd: f }, addr: { buf: 8 }, len: { result_of: 1 } } }\nbatches: [1, 1]\n`;
    expect(() => parseCase('slot.yaml', slot, spec)).toThrow(/slot\.yaml:9:\d+: .*only the fd field/);
  });

  it('the oracle refuses a result it cannot follow: no CQE yet, or an fd of a file it does not model', () => {
    const pending = `${head.replace('kind: file, size: 8', 'kind: pipe')}sqes:\n  - { op: READ, fields: { fd: { fd: f }, addr: { buf: 8 }, len: 8 } }\n  - { op: CLOSE, fields: { fd: { result_of: 1 } } }\nbatches: [1, 1]\n`;
    expect(() => predict(spec, profile, parseCase('p.yaml', pending, spec))).toThrow(/result_of 1: the oracle predicts no CQE/);
    const created = `${head}sqes:\n  - { op: OPENAT, fields: { fd: -100, addr: { str: new }, rw_flags: 64 } }\n  - { op: CLOSE, fields: { fd: { result_of: 1 } } }\nbatches: [1, 1]\n`;
    expect(() => predict(spec, profile, parseCase('c.yaml', created, spec))).toThrow(/result_of 1: .*does not model/);
  });
});
