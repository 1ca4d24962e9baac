import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../spec/load/loadSpec.js';
import type { Verdict } from '../verdict.js';
import { renderReport } from './renderReport.js';
import { ruleStatus } from './ruleStatus.js';

const spec = loadSpec();
const outcome = { status: 'exited' as const, stdout: [], klog: ['[ 1.0] WARNING: CPU: 1 at io_uring/opdef.c:43 io_no_issue'], findings: [], ms: 3 };
const v = (id: string, kind: Verdict['kind'], rules: string[], divergenceRule?: string): Verdict => ({
  id, kind, reason: kind, rules, outcome: kind === 'finding' ? { ...outcome, findings: [{ kind: 'WARN', line: outcome.klog[0]! }] } : outcome,
  ...(divergenceRule ? { divergence: { id: `d-${divergenceRule}`, rule: divergenceRule, reason: 'r', source: `cite ${divergenceRule}` } } : {}),
});

describe('ruleStatus', () => {
  it('reads diverges, never pass, for a rule whose only case is an XFAIL, naming the divergence', () => {
    expect(ruleStatus('r', [v('a', 'xfail', ['r'], 'r')])).toMatchObject({ status: 'diverges', divergences: [{ id: 'd-r', source: 'cite r' }] });
    expect(ruleStatus('r', [v('a', 'xfail', ['r', 's'], 's')])).toMatchObject({ status: 'diverges', divergences: [{ id: 'd-s', rule: 's' }] });
  });

  it('credits each rule of a case that matched several divergences at once with its own one', () => {
    const both: Verdict = {
      ...v('a', 'xfail', ['r', 's', 't']),
      divergence: { id: 'd-r,d-s', rule: 'r', reason: 'r', source: 'cite r; cite s', parts: [{ id: 'd-r', rule: 'r', source: 'cite r' }, { id: 'd-s', rule: 's', source: 'cite s' }] },
    };
    const pass = v('b', 'pass', ['s', 't']);
    expect(ruleStatus('s', [both, pass])).toMatchObject({ status: 'diverges', divergences: [{ id: 'd-s', source: 'cite s' }] });
    expect(ruleStatus('r', [both])).toMatchObject({ status: 'diverges', divergences: [{ id: 'd-r' }] });
    expect(ruleStatus('t', [both, pass]).status).toBe('pass');
  });

  it('lets another rule\'s divergence neither contradict nor confirm a rule that passes elsewhere', () => {
    expect(ruleStatus('r', [v('a', 'xfail', ['r', 's'], 's'), v('b', 'pass', ['r'])]).status).toBe('pass');
    expect(ruleStatus('r', [v('a', 'xfail', ['r'], 'r'), v('b', 'pass', ['r'])]).status).toBe('diverges');
  });

  it('puts findings (crash, hang, WARN) before failures, failures before divergences; skips count for nothing', () => {
    expect(ruleStatus('r', [v('a', 'pass', ['r']), v('b', 'timeout', ['r']), v('c', 'fail', ['r'])]).status).toBe('finding');
    expect(ruleStatus('r', [v('a', 'xfail', ['r'], 'r'), v('c', 'fail', ['r'])]).status).toBe('fail');
    expect(ruleStatus('r', [v('a', 'skip', ['r'])]).status).toBe('not exercised');
  });
});

describe('renderReport', () => {
  const md = renderReport(spec, {
    target: 'qemu', profile: 'rfc-v1-6.12', verdicts: [
      v('spawn/a', 'pass', ['spawn.exec.success-ends-chain', 'chain.prep-failure.fails-link']),
      v('spawn/b', 'xfail', ['spawn.member.deferred-waits', 'chain.prep-failure.fails-link'], 'spawn.member.deferred-waits'),
      v('spawn/c', 'finding', ['spawn.link-timeout.guards']),
      v('spawn/d', 'fail', ['chain.link.order']),
    ],
  });

  it('counts the rules the kernel follows, diverges from, crashes on and fails, and the cases by verdict', () => {
    const rules = spec.rules.size;
    expect(md).toContain(`Rules: 5 of ${rules} exercised. The kernel follows 2, diverges from 1 (known divergences of the profile), crashes, hangs or warns on 1 (kernel findings), and fails 1 without a known reason; ${rules - 5} are not exercised`);
    expect(md).toContain('Cases: 4: 1 pass, 1 known divergence (XFAIL), 1 kernel findings');
  });

  it('writes each rule\'s status, a divergence with its id and citation', () => {
    expect(md).toMatch(/\[`spawn\.member\.deferred-waits`\]\([^)]*\) \| diverges: `d-spawn\.member\.deferred-waits`, cite spawn\.member\.deferred-waits \|/);
    expect(md).toMatch(/\[`chain\.prep-failure\.fails-link`\]\([^)]*\) \| pass \|/);
    expect(md).toMatch(/\[`spawn\.link-timeout\.guards`\]\([^)]*\) \| finding \|/);
    expect(md).toMatch(/\[`chain\.link\.order`\]\([^)]*\) \| fail \|/);
    expect(md).toMatch(/\[`spawn\.exec\.none-kills-task`\]\([^)]*\) \| not exercised \|/);
  });

  it('quotes the kernel log of the cases with findings', () => {
    expect(md).toContain('### spawn/c (finding)');
    expect(md).toContain('io_no_issue');
  });

  it('starts an excerpt at the case\'s first finding, not in the middle of the trace before it', () => {
    const warn = '[ 2.0] WARNING: CPU: 0 at io_uring/io_uring.c:1 io_x';
    const hung: Verdict = {
      ...v('spawn/e', 'timeout', ['chain.link.order']),
      outcome: { status: 'timeout', stdout: [], klog: ['[ 1.0]  ? schedule+0x2e/0x46', '[ 1.1]  </TASK>', warn, '[ 2.1] Call Trace:'], findings: [{ kind: 'WARN', line: warn }], ms: 9 },
    };
    const out = renderReport(spec, { target: 'qemu', profile: 'rfc-v1-6.12', verdicts: [hung] });
    expect(out).toContain(['### spawn/e (timeout)', '', '```', warn, '[ 2.1] Call Trace:', '```'].join('\n'));
  });
});
