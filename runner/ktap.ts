import type { Tally, Verdict } from './verdict.js';

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ').trim();

/** KTAP v1 for a list of verdicts, with diagnostics as `#` lines under each failing test. */
export function ktap(verdicts: Verdict[], title: string): string[] {
  const out = ['KTAP version 1', `# ${title}`, `1..${verdicts.length}`];
  verdicts.forEach((v, i) => {
    const n = i + 1;
    switch (v.kind) {
      case 'pass': out.push(`ok ${n} ${v.id}`); break;
      case 'skip': out.push(`ok ${n} ${v.id} # SKIP ${oneLine(v.reason)}`); break;
      case 'xfail': out.push(`ok ${n} ${v.id} # XFAIL ${oneLine(v.reason)}`); break;
      case 'timeout': out.push(`not ok ${n} ${v.id} # TIMEOUT`); break;
      default: out.push(`not ok ${n} ${v.id}`);
    }
    if (v.kind !== 'pass' && v.kind !== 'skip') {
      for (const m of v.report?.mismatches ?? []) out.push(`# ${oneLine(m)}`);
      if (v.kind !== 'xfail' && v.kind !== 'fail') out.push(`# ${v.kind}: ${oneLine(v.reason)}`);
      for (const f of v.outcome.findings.slice(0, 5)) out.push(`# ${f.kind}: ${oneLine(f.line)}`);
      for (const l of v.outcome.klog.slice(0, 20)) out.push(`# klog: ${oneLine(l)}`);
    }
  });
  return out;
}

export function closingLine(t: Tally): string {
  return `${t.passed + t.xfailed} passed, ${t.failed} failed, ${t.skipped} skipped`;
}
