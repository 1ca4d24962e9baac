import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../spec/load/loadSpec.js';
import type { Verdict } from '../verdict.js';
import { renderReport } from './renderReport.js';

const spec = loadSpec();
const outcome = { status: 'exited' as const, stdout: [], klog: ['[ 1.0] WARNING: CPU: 1 at io_uring/opdef.c:43 io_no_issue'], findings: [], ms: 3 };
const v = (id: string, kind: Verdict['kind'], rules: string[], divergenceRule?: string): Verdict => ({
  id, kind, reason: kind, rules, outcome: kind === 'finding' ? { ...outcome, findings: [{ kind: 'WARN', line: outcome.klog[0]! }] } : outcome,
  ...(divergenceRule ? { divergence: { id: 'd', rule: divergenceRule, reason: 'r', source: 's' } } : {}),
});

describe('renderReport', () => {
  const md = renderReport(spec, {
    target: 'qemu', profile: 'rfc-v1-6.12', verdicts: [
      v('spawn/a', 'pass', ['spawn.exec.success-ends-chain', 'chain.prep-failure.fails-link']),
      v('spawn/b', 'xfail', ['spawn.member.deferred-waits', 'chain.prep-failure.fails-link'], 'spawn.member.deferred-waits'),
      v('spawn/c', 'finding', ['spawn.link-timeout.guards']),
    ],
  });

  it('counts the cases by verdict', () => {
    expect(md).toContain('Cases: 3: 1 pass, 1 known divergence (XFAIL), 1 kernel findings');
  });

  it('gives each rule the worst verdict of its cases, an XFAIL only to the rule it is about', () => {
    expect(md).toMatch(/\[`spawn\.member\.deferred-waits`\]\([^)]*\) \| xfail \|/);
    expect(md).toMatch(/\[`chain\.prep-failure\.fails-link`\]\([^)]*\) \| pass \|/);
    expect(md).toMatch(/\[`spawn\.link-timeout\.guards`\]\([^)]*\) \| finding \|/);
    expect(md).toMatch(/\[`spawn\.exec\.none-kills-task`\]\([^)]*\) \| not exercised on this target \|/);
  });

  it('quotes the kernel log of the cases with findings', () => {
    expect(md).toContain('### spawn/c (finding)');
    expect(md).toContain('io_no_issue');
  });
});
