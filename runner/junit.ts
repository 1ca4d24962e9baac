import type { Verdict } from './verdict.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** JUnit XML, one testcase per case; XFAIL counts as passed with its reason in system-out. */
export function junit(verdicts: Verdict[], suite: string): string {
  const failures = verdicts.filter((v) => !['pass', 'skip', 'xfail'].includes(v.kind)).length;
  const skipped = verdicts.filter((v) => v.kind === 'skip').length;
  const body = verdicts.map((v) => {
    const head = `  <testcase classname="${esc(suite)}" name="${esc(v.id)}" time="${(v.outcome.ms / 1000).toFixed(3)}"`;
    if (v.kind === 'pass') return `${head}/>`;
    if (v.kind === 'skip') return `${head}><skipped message="${esc(v.reason)}"/></testcase>`;
    if (v.kind === 'xfail') return `${head}><system-out>${esc(`XFAIL ${v.reason}`)}</system-out></testcase>`;
    const detail = [...(v.report?.mismatches ?? []), ...v.outcome.klog.slice(0, 30)].join('\n');
    return `${head}><failure type="${v.kind}" message="${esc(v.reason)}">${esc(detail)}</failure></testcase>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="${esc(suite)}" tests="${verdicts.length}" failures="${failures}" skipped="${skipped}">\n${body.join('\n')}\n</testsuite>\n`;
}
