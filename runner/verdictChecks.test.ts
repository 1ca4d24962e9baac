import { describe, expect, it } from 'vitest';
import type { ProfileSpec } from '../spec/types.js';
import { loadSpec } from '../spec/load/loadSpec.js';
import { racyReason, strayReports, verdictFlips } from './verdictChecks.js';
import type { Verdict, VerdictKind } from './verdict.js';

const profile: ProfileSpec = {
  name: 'p', description: 'a tree', kernel: 'k', target: 'qemu', opcodes: {}, setup_flags: [], features: {},
  divergences: [
    { id: 'p.race', rule: 'r', statement: 's', source: 'a review message', racy: 'the task and the next submission race', override: { value: false } },
    { id: 'p.fixed', rule: 'r2', statement: 's', source: 'the source', override: { res: -22 } },
  ],
};
const v = (id: string, kind: VerdictKind, divergence?: string): Verdict => ({
  id, kind, reason: '', rules: [], outcome: { status: 'exited', stdout: [], klog: [], findings: [], ms: 1 },
  ...(divergence ? { divergence: { id: divergence, reason: 'r', source: 's' } } : {}),
});

describe('verdictFlips', () => {
  it('passes cases whose kind is the same in every run', () => {
    const run = [v('a', 'pass'), v('b', 'timeout'), v('c', 'xfail', 'p.fixed')];
    expect(verdictFlips([run, run, run], profile)).toEqual({ unstable: [], racy: [] });
  });

  it('reports a case whose kind changed (a planted timeout in one run of three)', () => {
    const flips = verdictFlips([[v('a', 'pass'), v('b', 'fail')], [v('a', 'pass'), v('b', 'timeout')], [v('a', 'pass'), v('b', 'fail')]], profile);
    expect(flips.unstable).toEqual([{ id: 'b', kinds: ['fail', 'timeout', 'fail'] }]);
    expect(flips.racy).toEqual([]);
  });

  it('does not excuse a flip by a divergence that is not racy, nor one the case does not meet', () => {
    expect(verdictFlips([[v('a', 'pass', 'p.fixed')], [v('a', 'xfail', 'p.fixed')]], profile).unstable).toHaveLength(1);
    expect(verdictFlips([[v('a', 'pass', 'p.racer')], [v('a', 'xfail', 'p.racer')]], profile).unstable).toHaveLength(1);
  });

  it('puts a flip that a racy divergence of the case explains apart, with its reason', () => {
    const flips = verdictFlips([[v('a', 'pass', 'p.fixed,p.race')], [v('a', 'timeout', 'p.fixed,p.race')]], profile);
    expect(flips.unstable).toEqual([]);
    expect(flips.racy).toEqual([{ id: 'a', kinds: ['pass', 'timeout'], racy: 'p.race: the task and the next submission race' }]);
  });

  it('counts a case missing from one run as a change', () => {
    expect(verdictFlips([[v('a', 'pass')], []], profile).unstable).toEqual([{ id: 'a', kinds: ['pass', 'absent'] }]);
  });

  it('reads the racy divergences of the RFC profile', () => {
    const rfc = loadSpec().profiles['rfc-v1-6.12']!;
    expect(racyReason(rfc, v('spawn/head-request-reuse', 'pass', 'rfc-v1.clone-res-not-set,rfc-v1.head-request-use-after-free'))).toMatch(/^rfc-v1\.head-request-use-after-free: /);
    expect(racyReason(rfc, v('spawn/clone-exec-helper', 'pass', 'rfc-v1.clone-res-not-set,rfc-v1.exec-res-not-set'))).toBeUndefined();
  });
});

describe('strayReports', () => {
  const verdicts = [v('a', 'pass'), v('b', 'finding'), v('c', 'timeout'), v('d', 'xfail', 'p.fixed')];

  it('ignores ordinary log lines, and reports after a case already charged with a finding, hang or crash', () => {
    expect(strayReports([
      { afterId: 'a', line: '[    3.1] uringspec: begin b' },
      { afterId: 'b', line: '[    3.2] WARNING: CPU: 0 PID: 85 at io_uring/opdef.c:43 io_no_issue+0x4/0xc' },
      { afterId: 'c', line: '[    9.9] INFO: task executor:38 blocked for more than 9 seconds.' },
    ], verdicts)).toEqual([]);
  });

  it('reports a planted KASAN or lockdep report that came after a passing case, naming that case', () => {
    const stray = strayReports([
      { afterId: 'a', line: '[    4.0] BUG: KASAN: slab-use-after-free in io_uring_spawn_task+0x42/0x25a' },
      { afterId: 'd', line: '[    5.0] WARNING: possible circular locking dependency detected' },
      { afterId: undefined, line: '[    0.5] WARNING: CPU: 0 PID: 1 at kernel/fork.c:1 copy_process' },
    ], verdicts);
    expect(stray).toEqual([
      'KASAN after a (pass): [    4.0] BUG: KASAN: slab-use-after-free in io_uring_spawn_task+0x42/0x25a',
      'LOCKDEP after d (xfail): [    5.0] WARNING: possible circular locking dependency detected',
      'WARN after boot, before any case: [    0.5] WARNING: CPU: 0 PID: 1 at kernel/fork.c:1 copy_process',
    ]);
  });
});
