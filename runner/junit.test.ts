import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { junit, junitNames } from './junit.js';
import type { Verdict } from './verdict.js';

const XSD = new URL('../test/fixtures/jenkins-junit.xsd', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'uringspec-junit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** xmllint's verdict on a document: '' when it validates, else its complaint. */
function xmllint(xml: string): string {
  const f = join(dir, 'r.xml');
  writeFileSync(f, xml);
  try {
    execFileSync('xmllint', ['--noout', '--schema', XSD, f], { stdio: 'pipe' });
    return '';
  } catch (e) {
    return String((e as { stderr: Buffer }).stderr);
  }
}

const outcome = { status: 'exited' as const, stdout: [], klog: [], findings: [], ms: 1500 };
const esc = '\u001b[0m\u001b[31mWARNING: CPU: 0 PID: 1 at io_uring/io_uring.c:1 io_issue_sqe\u001b[0m \u0007\u0000';
const vs: Verdict[] = [
  { id: 'nop/basic', kind: 'pass', reason: '', rules: [], outcome },
  { id: 'read/x', kind: 'fail', reason: 'user_data 1: expected 0, got -22 <&>', rules: [], outcome: { ...outcome, klog: [esc] } },
  { id: 'spawn/w', kind: 'finding', reason: esc, rules: [], outcome: { ...outcome, findings: [{ kind: 'WARN', line: esc }] } },
  { id: 'spawn/t', kind: 'timeout', reason: 'timed out', rules: [], outcome },
  { id: 'spawn/s', kind: 'skip', reason: 'vm-only', rules: [], outcome },
  { id: 'spawn/d', kind: 'xfail', reason: 'r', rules: [], outcome, divergence: { id: 'rfc-v1.d', reason: 'not held', source: 'review' } },
];

describe('JUnit', () => {
  const xml = junit(vs, 'upstream-6.18', { timestamp: new Date(0), host: 'h' });

  it('validates against the Jenkins JUnit schema, with a kernel log line full of control characters', () => {
    expect(xmllint(xml)).toBe('');
  });

  it('the schema check is real: a testsuite without errors, or a raw control character, is refused', () => {
    expect(xmllint(xml.replace(/ errors="\d+"/, ''))).toMatch(/errors/);
    expect(xml).toContain('\\x07');
    expect(xmllint(xml.replace('\\x07', '\u0007'))).not.toBe('');
  });

  it('counts failures (mismatch, finding), errors (timeout, crash) and skips', () => {
    expect(xml).toMatch(/<testsuite name="uringspec.upstream-6_18" tests="6" failures="2" errors="1" skipped="1"/);
    expect(xml).toContain('<failure type="finding"');
    expect(xml).toContain('<error type="timeout" message="timed out"');
    expect(xml).toContain('XFAIL rfc-v1.d: not held (review)');
  });

  it('names cases so that the last dot splits class (profile and directory) from test', () => {
    expect(junitNames('spawn/clone-basic', 'upstream-6.18')).toEqual({ classname: 'uringspec.upstream-6_18.spawn', name: 'clone-basic' });
    expect(junitNames('a.b/c', 'p')).toEqual({ classname: 'uringspec.p.a_b', name: 'c' });
    expect(xml).toContain('<testcase classname="uringspec.upstream-6_18.read" name="x"');
  });
});
