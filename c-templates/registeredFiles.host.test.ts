import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Case, Expectation, ResExpect } from '../spec/types.js';
import { loadSpec } from '../spec/load/loadSpec.js';
import { parseCase, readCase } from '../spec/case/parseCase.js';
import { predict } from '../generators/oracle/predict.js';
import { renderCase } from './renderCase.js';
import { formOf } from './testing/formOf.js';
import { buildC, runC } from './testing/buildC.js';
import { ringSpec } from './testing/ringSpec.js';

// the registered-files, FIXED_FD_INSTALL and personality cases, expected as the oracle predicts them from the
// spec, on the host's own profile; each then with one planted wrong observation that the check must catch
const spec = loadSpec();
const profile = spec.profiles['upstream-6.18']!;
const errno = (name: string) => -spec.ring.errno[name]!;
const root = mkdtempSync(join(tmpdir(), 'uringspec-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function predicted(file: string): Case & { expect: Expectation } {
  const c = readCase(join(__dirname, '..', 'cases', file), spec);
  return { ...c, expect: predict(spec, profile, c) };
}

/** The case with user_data ud's CQE expected as `res` instead: what a kernel that observed `res` would pass. */
function planted(c: Case & { expect: Expectation }, ud: number, res: ResExpect): Case & { expect: Expectation } {
  return { ...c, expect: { ...c.expect, cqes: c.expect.cqes.map((q) => (q.user_data === ud ? { ...q, res } : q)) } };
}

function run(c: Case & { expect: Expectation }) {
  const bin = buildC(renderCase(formOf(c, { name: 'host/files', profile }), { ring: ringSpec, profile }), root);
  const tmp = mkdtempSync(join(root, 'tmp-'));
  const out = runC(bin, { ...process.env, TMPDIR: tmp, URINGSPEC_HELPER: '' });
  expect(readdirSync(tmp), 'temp dir left behind').toEqual([]);
  return out;
}

const isRoot = process.getuid?.() === 0;

describe('registered files, FIXED_FD_INSTALL and personalities on the host', { timeout: 120_000 }, () => {
  it('a dense table: IOSQE_FIXED_FILE reads go through its slots; a planted empty slot 1 (-EBADF) fails', () => {
    const c = predicted('registered-files/dense-fixed-reads.yaml');
    expect(c.expect.cqes.find((q) => q.user_data === 2)!.res).toEqual({ eq: 3 });
    expect(run(c).result.verdict).toBe('pass');
    const r = run(planted(c, 2, { eq: errno('EBADF') }));
    expect(r.code).toBe(1);
    expect(r.result.verdict).toBe('fail');
  });

  it("a sparse table: IORING_FILE_INDEX_ALLOC takes the slot after the allocator's hint; a planted slot 0 fails", () => {
    const c = predicted('registered-files/sparse-openat-close.yaml');
    expect(c.expect.cqes.find((q) => q.user_data === 3)!.res).toEqual({ eq: 2 });
    expect(run(c).result.verdict).toBe('pass');
    expect(run(planted(c, 3, { eq: 0 })).result.verdict).toBe('fail');
  });

  it("a files update moves the allocator's hint past the slot it fills; a planted slot 0 (the hint left at 0) fails", () => {
    const c = predicted('registered-files/sparse-alloc-hint.yaml');
    expect(c.expect.cqes.map((q) => q.res)).toEqual([{ eq: 2 }, { eq: 0 }]);
    expect(run(c).result.verdict).toBe('pass');
    expect(run(planted(c, 1, { eq: 0 })).result.verdict).toBe('fail');
  });

  it("IOSQE_FIXED_FILE with a fixture's fd (not a slot number) reads no slot the oracle knows: -EBADF past a 1-slot table", () => {
    const c: Case = {
      description: 'a fixed READ whose fd field is a fixture ref', rules: [], provenance: { kind: 'hand-written' }, ring: { entries: 4 },
      fixtures: { f0: { kind: 'file', size: 5 }, t: { kind: 'files', nr: 1, s0: 'f0' } },
      sqes: [{ op: 'READ', flags: ['IOSQE_FIXED_FILE'], fields: { fd: { fd: 'f0' }, addr: { buf: 8 }, len: 8, off: 0 } }],
    };
    const p = { ...c, expect: predict(spec, profile, c) };
    expect(p.expect.cqes[0]!.res).toEqual({ eq: errno('EBADF') });
    expect(run(p).result.verdict).toBe('pass');
    expect(run(planted(p, 1, { eq: 5 })).result.verdict).toBe('fail');
  });

  it('FIXED_FD_INSTALL gives a used slot a new fd; a planted -EBADF (the table not looked at) fails', () => {
    const c = predicted('fixed-fd-install/installs.yaml');
    expect(run(c).result.verdict).toBe('pass');
    expect(run(planted(c, 1, { eq: errno('EBADF') })).result.verdict).toBe('fail');
  });

  it.skipIf(!isRoot)('a personality of uid 65534 is applied to OPENAT; a planted success (the personality ignored) fails', () => {
    const c = predicted('personality/openat-as-nobody.yaml');
    expect(c.expect.cqes.find((q) => q.user_data === 1)!.res).toEqual({ eq: errno('EACCES') });
    expect(run(c).result.verdict).toBe('pass');
    expect(run(planted(c, 1, { min: 0 })).result.verdict).toBe('fail');
  });

  it.skipIf(!isRoot)('FIXED_FD_INSTALL with a personality is -EPERM; a planted install (REQ_F_CREDS not checked) fails', () => {
    const c = predicted('fixed-fd-install/personality-eperm.yaml');
    expect(run(c).result.verdict).toBe('pass');
    expect(run(planted(c, 1, { min: 0 })).result.verdict).toBe('fail');
  });

  it('a slot param naming no earlier fixture is one error naming file:line:col and the field', () => {
    const text = [
      'description: x', 'rules: [chain.hardlink.continues]', 'provenance: { kind: hand-written }', 'ring: { entries: 4 }',
      'fixtures:', '  t: { kind: files, nr: 2, s0: p0 }', '  p0: { kind: pipe }', 'sqes:', '  - { op: NOP }', '',
    ].join('\n');
    expect(() => parseCase('bad.yaml', text, spec)).toThrow(/bad\.yaml:6:\d+: .*s0.*earlier fixture/);
    const noEnd = text.replace('s0: p0 }', 's0: f.w }').replace('p0: { kind: pipe }', 'f: { kind: file }');
    expect(() => parseCase('bad.yaml', noEnd.replace('  t: { kind: files, nr: 2, s0: f.w }\n  f: { kind: file }', '  f: { kind: file }\n  t: { kind: files, nr: 2, s0: f.w }'), spec)).toThrow(/bad\.yaml:7:\d+: .*no write end/);
  });
});
