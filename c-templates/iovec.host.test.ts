import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Case, Expectation } from '../spec/types.js';
import { loadSpec } from '../spec/load/loadSpec.js';
import { renderCase } from './renderCase.js';
import { encodeExecForm } from './encodeExecForm.js';
import { formOf } from './testing/formOf.js';
import { buildC, runC } from './testing/buildC.js';
import { ringSpec } from './testing/ringSpec.js';

// the vectored read of the host's own profile (opcodes from the spec, no table of our own)
const spec = loadSpec();
const profile = spec.profiles['upstream-6.18']!;
const vectored = Object.values(spec.ops).find((op) => op.fields.addr?.values?.some((v) => 'ref' in v && v.ref === 'iovec') && op.supports.buffer_select)!;

const root = mkdtempSync(join(tmpdir(), 'uringspec-iov-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** 12 bytes in a pipe read into segments of 2 and 8 bytes: the kernel fills both (10). */
const sample = (res: number): Case & { expect: Expectation } => ({
  description: 'a vectored read of a pipe into two segments', rules: [], provenance: { kind: 'hand-written' }, ring: { entries: 4 },
  fixtures: { p: { kind: 'pipe', bytes: 12 } },
  sqes: [{ op: vectored.short, fields: { fd: { fd: 'p' }, addr: { iov: [2, 8] }, len: 2 } }],
  expect: { submitted: [1], cqes: [{ user_data: 1, res: { eq: res }, flags: 0, because: [] }], order: [] },
});

function run(c: Case & { expect: Expectation }) {
  const bin = buildC(renderCase(formOf(c, { name: 'host/iov', profile }), { ring: ringSpec, profile }), root);
  const tmp = mkdtempSync(join(root, 'tmp-'));
  const out = runC(bin, { ...process.env, TMPDIR: tmp, URINGSPEC_HELPER: '' });
  expect(readdirSync(tmp), 'temp dir left behind').toEqual([]);
  return out;
}

describe('iovec field values', { timeout: 60_000 }, () => {
  it('encode for the executor as the segment count and sizes', () => {
    const line = encodeExecForm(formOf(sample(10), { name: 'x', profile })).split('\n').find((l) => l.startsWith('Q '))!;
    expect(line).toMatch(/ o 2 2 8( |$)/);
  });

  it('render as a struct iovec array the kernel fills segment by segment', () => {
    const r = run(sample(10));
    expect(r.result.verdict).toBe('pass');
  });

  it('fail when the observation is not what the segments hold (a planted 2: only the first segment)', () => {
    const r = run(sample(2));
    expect(r.code).toBe(1);
    expect(r.result.verdict).toBe('fail');
  });
});
