import type { Case, Expectation } from '../spec/types.js';

/** What a case's C program reported about itself on its `uringspec-result:` line. */
export interface CaseReport {
  case: string;
  verdict: 'pass' | 'fail' | 'skip';
  divergence: string | null;
  skip_reason: string | null;
  submitted: number[];
  cqes: { user_data: number; res: number; flags: number; seq: number }[];
  mismatches: string[];
  spawn?: unknown;
}

/** How a case's run ended, before interpretation. */
export interface RunOutcome {
  status: 'exited' | 'timeout' | 'crash' | 'not-run';
  exitCode?: number;
  signal?: number | string;
  stdout: string[];
  klog: string[];
  findings: { kind: string; line: string }[];
  ms: number;
}

export type VerdictKind = 'pass' | 'fail' | 'skip' | 'xfail' | 'timeout' | 'crash' | 'finding';

export interface Verdict {
  id: string;
  kind: VerdictKind;
  reason: string;
  report?: CaseReport;
  outcome: RunOutcome;
  rules: string[];
  expect?: Expectation;
  divergence?: KnownDivergence;
}

/** A known divergence a case matched; `parts` when it is several of the profile's at once (ids joined by ","). */
export interface KnownDivergence {
  id: string;
  rule?: string;
  reason: string;
  source: string;
  parts?: { id: string; rule: string; source: string }[];
}

export interface Tally { passed: number; failed: number; skipped: number; xfailed: number }

export function parseReport(stdout: string[]): CaseReport | undefined {
  for (const line of stdout) {
    const i = line.indexOf('uringspec-result: ');
    if (i >= 0) {
      try { return JSON.parse(line.slice(i + 'uringspec-result: '.length)) as CaseReport; } catch { return undefined; }
    }
  }
  return undefined;
}

/**
 * Turns a run into a verdict. A kernel finding (WARN, BUG, KASAN, ...) during the case is a failure
 * of that case whatever its CQEs were; a known divergence matched on this profile is an XFAIL.
 */
export function verdictOf(id: string, c: Case, o: RunOutcome, divergence?: Verdict['divergence']): Verdict {
  const d = divergence ? { id: divergence.id, ...(divergence.rule ? { rule: divergence.rule } : {}), reason: divergence.reason, source: divergence.source, ...(divergence.parts ? { parts: divergence.parts } : {}) } : undefined;
  const base = { id, outcome: o, rules: c.rules, ...(c.expect ? { expect: c.expect } : {}), ...(d ? { divergence: d } : {}) };
  const report = parseReport(o.stdout);
  const withReport = report ? { ...base, report } : base;
  if (o.status === 'timeout') return { ...withReport, kind: 'timeout', reason: o.findings.length ? `timed out after ${o.findings[0]!.kind}: ${o.findings[0]!.line}` : 'timed out' };
  if (o.status === 'crash') return { ...withReport, kind: 'crash', reason: o.findings[0]?.line ?? 'the kernel died' };
  if (o.status === 'not-run') return { ...withReport, kind: 'skip', reason: 'not run' };
  if (o.findings.length) return { ...withReport, kind: 'finding', reason: `${o.findings[0]!.kind}: ${o.findings[0]!.line}` };
  if (o.exitCode === 77) return { ...withReport, kind: 'skip', reason: report?.skip_reason ?? 'skipped' };
  if (o.exitCode === 0 && report?.verdict === 'pass') return { ...withReport, kind: 'pass', reason: '' };
  if (o.exitCode === 1 && report?.divergence && divergence && report.divergence === divergence.id) {
    return { ...withReport, kind: 'xfail', reason: `${divergence.id}: ${divergence.reason} (${divergence.source})` };
  }
  const why = report?.mismatches.join('; ') || (report ? `verdict ${report.verdict}` : `exit ${o.exitCode ?? o.signal}, no result line`);
  return { ...withReport, kind: 'fail', reason: why };
}

export function tally(vs: Verdict[]): Tally {
  const t: Tally = { passed: 0, failed: 0, skipped: 0, xfailed: 0 };
  for (const v of vs) {
    if (v.kind === 'pass') t.passed++;
    else if (v.kind === 'skip') t.skipped++;
    else if (v.kind === 'xfail') t.xfailed++;
    else t.failed++;
  }
  return t;
}
