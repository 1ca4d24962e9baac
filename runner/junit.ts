import { hostname } from 'node:os';
import { create } from 'xmlbuilder2';
import type { Verdict } from './verdict.js';

/** Terminal escape sequences (a serial console's colours) carry nothing a CI page can show. */
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;
const clean = (s: string) => s.replace(ANSI, '');
/** What XML 1.0 cannot hold is written out as \xNN, so that a stray byte stays visible. */
const hex = (c: string) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;

/**
 * Where a case sits in a JUnit tree: consumers (Jenkins) split the classname at its last dot into
 * package and class, so the dots of a profile name become `_` and the case's directory is the class.
 */
export function junitNames(id: string, profile: string): { classname: string; name: string } {
  const parts = id.split('/');
  const name = parts.pop()!;
  const dirs = parts.map((p) => p.replace(/\./g, '_'));
  return { classname: ['uringspec', profile.replace(/\./g, '_'), ...dirs].join('.'), name };
}

const failureKinds = new Set(['fail', 'finding']);
const errorKinds = new Set(['timeout', 'crash']);

/**
 * JUnit XML in the shape of the Jenkins xunit-plugin junit-10.xsd: one testsuite, a failure per
 * mismatch or kernel finding, an error per timeout or crash, a skipped per skip; an XFAIL passes with
 * its divergence in system-out.
 */
export function junit(verdicts: Verdict[], profile: string, o: { timestamp?: Date; host?: string } = {}): string {
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const doc = create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: hex });
  const suite = doc.ele('testsuite', {
    name: `uringspec.${profile.replace(/\./g, '_')}`,
    tests: String(verdicts.length),
    failures: String(verdicts.filter((v) => failureKinds.has(v.kind)).length),
    errors: String(verdicts.filter((v) => errorKinds.has(v.kind)).length),
    skipped: String(verdicts.filter((v) => v.kind === 'skip').length),
    time: seconds(verdicts.reduce((s, v) => s + v.outcome.ms, 0)),
    timestamp: (o.timestamp ?? new Date()).toISOString().replace(/\.\d+Z$/, ''),
    hostname: o.host ?? hostname(),
  });
  for (const v of verdicts) {
    const tc = suite.ele('testcase', { ...junitNames(v.id, profile), time: seconds(v.outcome.ms) });
    const detail = [...(v.report?.mismatches ?? []), ...v.outcome.findings.map((f) => `${f.kind}: ${f.line}`), ...v.outcome.klog.slice(0, 30)].map(clean).join('\n');
    if (v.kind === 'skip') tc.ele('skipped', { message: clean(v.reason) });
    else if (v.kind === 'xfail') tc.ele('system-out').txt(clean(`XFAIL ${v.divergence ? `${v.divergence.id}: ${v.divergence.reason} (${v.divergence.source})` : v.reason}`));
    else if (failureKinds.has(v.kind)) tc.ele('failure', { type: v.kind, message: clean(v.reason) }).txt(detail);
    else if (errorKinds.has(v.kind)) tc.ele('error', { type: v.kind, message: clean(v.reason) }).txt(detail);
  }
  return doc.end({ prettyPrint: true });
}
