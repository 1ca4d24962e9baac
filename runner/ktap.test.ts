import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kunitParser, type Parsed, type ParsedTest } from '../test/kunitParser.js';
import { ktap, ktapName, ktapWriter } from './ktap.js';
import type { Verdict } from './verdict.js';

const outcome = { status: 'exited' as const, stdout: [], klog: [], findings: [], ms: 3 };
const report = (mismatches: string[]) => ({ case: 'x', verdict: 'fail' as const, divergence: null, skip_reason: null, submitted: [1], cqes: [], mismatches });
const v = (id: string, kind: Verdict['kind'], reason: string, extra: Partial<Verdict> = {}): Verdict => ({ id, kind, reason, rules: [], outcome, ...extra });

const planted: Verdict[] = [
  v('nop/basic', 'pass', ''),
  v('read/mismatch', 'fail', 'x', { report: report(['user_data 1 (READ): expected 0, got -22']) }),
  v('spawn/needs-vm', 'skip', 'vm-only: runs only in the QEMU guest'),
  v('spawn/drain', 'xfail', 'long', { divergence: { id: 'rfc-v1.drain', reason: 'the drain is\nnot held', source: 'a review message\n<id@lore>' } }),
  v('timeout/hangs', 'timeout', 'timed out'),
  v('spawn/warns', 'finding', 'WARN: WARNING: at io_issue_sqe', { outcome: { ...outcome, findings: [{ kind: 'WARN', line: '\u001b[0mWARNING: CPU: 0 at io_uring/io_uring.c:1 io_issue_sqe' }], klog: ['Subtest: sneaky'] } }),
  v('bad#id with space', 'fail', 'exit 1, no result line', { outcome: { ...outcome, stdout: ['segfault here'] } }),
];

describe('KTAP lines', () => {
  const lines = ktap(planted, 'uringspec host upstream-6.18');

  it('puts each diagnostic before the result line it explains', () => {
    const fail = lines.indexOf('not ok 2 read/mismatch');
    expect(lines[fail - 1]).toBe('# user_data 1 (READ): expected 0, got -22');
    expect(lines[lines.indexOf('ok 1 nop/basic') + 1]).toBe('# user_data 1 (READ): expected 0, got -22');
  });

  it('names only the divergence id on an XFAIL line, with reason and citation as diagnostics', () => {
    const i = lines.indexOf('ok 4 spawn/drain # XFAIL rfc-v1.drain');
    expect(i).toBeGreaterThan(0);
    expect(lines.slice(i - 2, i)).toEqual(['# known divergence rfc-v1.drain: the drain is not held', '# source: a review message <id@lore>']);
  });

  it('keeps ids KTAP cannot carry and control characters out of the output', () => {
    expect(ktapName('spawn/clone-basic')).toBe('spawn/clone-basic');
    expect(ktapName('bad#id with space')).toBe('bad_id_with_space');
    expect(lines).toContain('not ok 7 bad_id_with_space');
    expect(lines.join('\n')).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
  });

  it('streams: plan first, then each result as it is given, once per id', () => {
    const out: string[] = [];
    const w = ktapWriter((l) => out.push(l), { title: 't', total: 3 });
    expect(out).toEqual(['KTAP version 1', '# t', '1..3']);
    w.result(planted[0]!);
    expect(out.at(-1)).toBe('ok 1 nop/basic');
    w.result(planted[0]!);
    w.result(planted[2]!);
    expect(out.at(-1)).toBe('ok 2 spawn/needs-vm # SKIP vm-only: runs only in the QEMU guest');
    w.end();
    expect(out.slice(-2)).toEqual(['# interrupted: 2 of 3 cases finished', '1 passed, 0 failed, 1 skipped']);
  });
});

const kunit = kunitParser();
afterAll(() => kunit?.cleanup());

describe.skipIf(!kunit)("the kernel's kunit_parser.py reads our KTAP", () => {
  let parsed: Parsed;
  let byName: Map<string, ParsedTest>;
  beforeAll(() => {
    parsed = kunit!.parse(`${ktap(planted, 'uringspec host upstream-6.18').join('\n')}\n`);
    byName = new Map(parsed.tests.map((t) => [t.name, t]));
  });

  it('counts every case with its status and no parse error', () => {
    expect(parsed.counts).toEqual({ passed: 2, failed: 4, crashed: 0, skipped: 1, errors: 0 });
    expect(parsed.tests.map((t) => [t.name, t.status])).toEqual([
      ['nop/basic', 'SUCCESS'], ['read/mismatch', 'FAILURE'], ['spawn/needs-vm', 'SKIPPED'], ['spawn/drain', 'SUCCESS'],
      ['timeout/hangs', 'FAILURE'], ['spawn/warns', 'FAILURE'], ['bad_id_with_space', 'FAILURE'],
    ]);
  });

  it("attaches each failure's reason to that failure, and to no other test", () => {
    expect(byName.get('read/mismatch')!.log.join('\n')).toContain('expected 0, got -22');
    expect(byName.get('timeout/hangs')!.log.join('\n')).toContain('timed out');
    expect(byName.get('spawn/warns')!.log.join('\n')).toContain('io_issue_sqe');
    expect(byName.get('bad_id_with_space')!.log.join('\n')).toContain('segfault here');
    expect(byName.get('spawn/needs-vm')!.log.join('\n')).not.toContain('expected 0');
    expect(byName.get('spawn/drain')!.log.join('\n')).toContain('a review message');
  });
});
