import type { Tally, Verdict } from './verdict.js';
import { tally as tallyOf } from './verdict.js';
import { CASE_ID } from '../spec/case/caseId.js';

/**
 * KTAP v1 (Documentation/dev-tools/ktap.rst): diagnostics as `# ` lines directly before the result line
 * they explain, so that kunit_parser.py attaches them to that test.
 */

// Control characters (ESC from a serial console, CR) would reach a terminal or a parser raw.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const oneLine = (s: string) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\s*\n\s*/g, ' ').replace(CONTROL, '').trim();

/** A case id as a KTAP description; ids the schema lets through are unchanged, anything else is made safe. */
export function ktapName(id: string): string {
  if (CASE_ID.test(id)) return id;
  const safe = oneLine(id).replace(/[^A-Za-z0-9._/+-]/g, '_');
  return /^[A-Za-z0-9]/.test(safe) ? safe : `_${safe}`;
}

/** A diagnostic line; a kunit_parser `# Subtest:` header in a log line must not open a subtest. */
const diag = (s: string) => `# ${oneLine(s).replace(/^Subtest:/, 'Subtest -')}`;

/** The diagnostics of a verdict, in the order a reader wants them. */
export function diagnostics(v: Verdict): string[] {
  if (v.kind === 'pass' || v.kind === 'skip') return [];
  const out: string[] = [];
  if (v.kind === 'xfail' && v.divergence) {
    out.push(diag(`known divergence ${v.divergence.id}: ${v.divergence.reason}`), diag(`source: ${v.divergence.source}`));
  }
  const mismatches = v.report?.mismatches ?? [];
  for (const m of mismatches) out.push(diag(m));
  if (v.kind !== 'xfail' && (v.kind !== 'fail' || !mismatches.length)) out.push(diag(`${v.kind}: ${v.reason}`));
  if (!v.report && v.kind === 'fail') for (const l of v.outcome.stdout.slice(-10)) out.push(diag(`stdout: ${l}`));
  for (const f of v.outcome.findings.slice(0, 5)) out.push(diag(`${f.kind}: ${f.line}`));
  for (const l of v.outcome.klog.slice(0, 20)) out.push(diag(`klog: ${l}`));
  return out;
}

/** The lines of one test: its diagnostics, then its result line numbered n. */
export function resultLines(n: number, v: Verdict): string[] {
  const name = ktapName(v.id);
  const line = (() => {
    switch (v.kind) {
      case 'pass': return `ok ${n} ${name}`;
      case 'skip': return `ok ${n} ${name} # SKIP ${oneLine(v.reason)}`;
      case 'xfail': return `ok ${n} ${name} # XFAIL ${v.divergence ? oneLine(v.divergence.id) : ''}`.trimEnd();
      case 'timeout': return `not ok ${n} ${name} # TIMEOUT`;
      default: return `not ok ${n} ${name}`;
    }
  })();
  return [...diagnostics(v), line];
}

export function closingLine(t: Tally): string {
  return `${t.passed + t.xfailed} passed, ${t.failed} failed, ${t.skipped} skipped`;
}

export interface KtapWriter {
  /** Writes one verdict's lines now; a verdict whose id was already written is ignored. */
  result(v: Verdict): void;
  /** Writes the summary and the closing line (of what was written when no tally is given). */
  end(t?: Tally): void;
  /** The verdicts written so far, in order. */
  readonly written: Verdict[];
}

/**
 * A streaming KTAP writer: header and plan (`1..total`) at once, each result as soon as it is given, so
 * that an interrupted run keeps what finished. `out` is a stream (process.stdout is synchronous for files
 * and pipes on Linux) or a function that gets one line at a time.
 */
export function ktapWriter(to: NodeJS.WritableStream | ((line: string) => void), o: { title: string; total: number }): KtapWriter {
  const out = typeof to === 'function' ? to : (line: string) => { to.write(`${line}\n`); };
  const written: Verdict[] = [];
  const seen = new Set<string>();
  for (const l of ['KTAP version 1', diag(o.title), `1..${o.total}`]) out(l);
  return {
    written,
    result(v) {
      if (seen.has(v.id)) return;
      seen.add(v.id);
      written.push(v);
      for (const l of resultLines(written.length, v)) out(l);
    },
    end(t) {
      const t2 = t ?? tallyOf(written);
      if (written.length < o.total) out(diag(`interrupted: ${written.length} of ${o.total} cases finished`));
      if (t2.xfailed) out(diag(`${t2.xfailed} known divergences (XFAIL)`));
      out(closingLine(t2));
    },
  };
}

/** The whole KTAP document of a finished list of verdicts (merge, tests). */
export function ktap(verdicts: Verdict[], title: string): string[] {
  const lines: string[] = [];
  const w = ktapWriter((l) => lines.push(l), { title, total: verdicts.length });
  for (const v of verdicts) w.result(v);
  w.end();
  return lines;
}
