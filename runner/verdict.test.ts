import { describe, expect, it } from 'vitest';
import type { Case } from '../spec/types.js';
import { closingLine, ktap } from './ktap.js';
import { junit } from './junit.js';
import { exitCodeFor } from './exitCode.js';
import { EnvironmentError } from '../spec/load/inputError.js';
import { tally, verdictOf, type RunOutcome } from './verdict.js';

const c: Case = { description: 'x', rules: ['nop.issue.success'], provenance: { kind: 'hand-written' }, ring: { entries: 8 }, sqes: [{ op: 'NOP' }] };
const result = (verdict: string, extra = '') => `uringspec-result: {"case": "x", "verdict": "${verdict}", "divergence": ${extra || 'null'}, "skip_reason": "no such op", "submitted": [1], "cqes": [], "mismatches": ["user_data 1 (NOP): expected 0, got -22"]}`;
const run = (o: Partial<RunOutcome>): RunOutcome => ({ status: 'exited', stdout: [], klog: [], findings: [], ms: 5, ...o });
const div = { id: 'rfc-v1.d', reason: 'the tree does this', source: 'a review message' };

describe('verdictOf', () => {
  it('passes only a clean exit 0 with a pass result line', () => {
    expect(verdictOf('x', c, run({ exitCode: 0, stdout: [result('pass')] })).kind).toBe('pass');
    expect(verdictOf('x', c, run({ exitCode: 0, stdout: [] })).kind).toBe('fail');
  });

  it('turns exit 77 into a skip with the program\'s reason', () => {
    expect(verdictOf('x', c, run({ exitCode: 77, stdout: [result('skip')] }))).toMatchObject({ kind: 'skip', reason: 'no such op' });
  });

  it('makes a failure that matched the profile\'s divergence an XFAIL, and any other failure a fail', () => {
    expect(verdictOf('x', c, run({ exitCode: 1, stdout: [result('fail', '"rfc-v1.d"')] }), div).kind).toBe('xfail');
    expect(verdictOf('x', c, run({ exitCode: 1, stdout: [result('fail', '"other"')] }), div).kind).toBe('fail');
    expect(verdictOf('x', c, run({ exitCode: 1, stdout: [result('fail')] })).reason).toContain('expected 0, got -22');
  });

  it('puts kernel findings, hangs and crashes before what the CQEs said', () => {
    const warn = { kind: 'WARN', line: 'WARNING: CPU: 1 at io_uring/opdef.c:43' };
    expect(verdictOf('x', c, run({ exitCode: 0, stdout: [result('pass')], findings: [warn] })).kind).toBe('finding');
    expect(verdictOf('x', c, run({ status: 'timeout' })).kind).toBe('timeout');
    expect(verdictOf('x', c, run({ status: 'timeout', findings: [{ kind: 'BUG', line: 'kernel BUG at kernel/cred.c:400!' }] }))).toMatchObject({ kind: 'timeout', reason: 'timed out after BUG: kernel BUG at kernel/cred.c:400!' });
    expect(verdictOf('x', c, run({ status: 'crash', findings: [{ kind: 'PANIC', line: 'Kernel panic' }] })).kind).toBe('crash');
  });
});

describe('KTAP, JUnit and the exit policy', () => {
  const vs = [
    verdictOf('a', c, run({ exitCode: 0, stdout: [result('pass')] })),
    verdictOf('b', c, run({ exitCode: 77, stdout: [result('skip')] })),
    verdictOf('c', c, run({ exitCode: 1, stdout: [result('fail', '"rfc-v1.d"')] }), div),
    verdictOf('d', c, run({ exitCode: 1, stdout: [result('fail')] })),
    verdictOf('e', c, run({ status: 'timeout' })),
  ];

  it('prints KTAP v1 with SKIP, XFAIL and TIMEOUT directives and diagnostics under failures', () => {
    const out = ktap(vs, 'title');
    expect(out.slice(0, 3)).toEqual(['KTAP version 1', '# title', '1..5']);
    expect(out).toContain('ok 1 a');
    expect(out).toContain('ok 2 b # SKIP no such op');
    expect(out).toContain('ok 3 c # XFAIL rfc-v1.d');
    expect(out).toContain('not ok 4 d');
    expect(out).toContain('# user_data 1 (NOP): expected 0, got -22');
    expect(out).toContain('not ok 5 e # TIMEOUT');
  });

  it('ends with the closing line CI reads, XFAIL counted as passed', () => {
    expect(closingLine(tally(vs))).toBe('2 passed, 2 failed, 1 skipped');
  });

  it('writes JUnit with failures and skips counted', () => {
    const xml = junit(vs, 'suite');
    expect(xml).toMatch(/tests="5" failures="1" errors="1" skipped="1"/);
    expect(xml).toContain('<failure type="fail"');
  });

  it('exits 0 when all is well, 1 on failures, 2 on input errors', () => {
    expect(exitCodeFor({ tally: tally(vs.slice(0, 3)) })).toBe(0);
    expect(exitCodeFor({ tally: tally(vs) })).toBe(1);
    expect(exitCodeFor({ error: new EnvironmentError('no kernel') })).toBe(2);
  });
});
