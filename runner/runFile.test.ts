import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRunFile, writeRunFile } from './runFile.js';

const dir = mkdtempSync(join(tmpdir(), 'uringspec-runfile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => { const f = join(dir, name); writeFileSync(f, text); return f; };
const outcome = { status: 'exited', stdout: [], klog: [], findings: [], ms: 2 };

describe('run files', () => {
  it('round-trips what run --json writes', () => {
    const run = { target: 'host', profile: 'upstream-6.18', shard: '1/2', total: 1, verdicts: [{ id: 'nop', kind: 'pass' as const, reason: '', rules: ['nop.issue.success'], outcome: { ...outcome, status: 'exited' as const } }] };
    writeRunFile(join(dir, 'r.json'), run);
    expect(readRunFile(join(dir, 'r.json'))).toEqual(run);
  });

  it('refuses another JSON file in one line naming the file and the field', () => {
    expect(() => readRunFile(file('pkg.json', '{"name": "x", "version": "1"}'))).toThrow(/pkg\.json: not a run written by "uringspec run --json": \(top level\) must have required property 'target'/);
    const bad = { target: 'host', profile: 'p', verdicts: [{ id: 'a', kind: 'passed', reason: '', rules: [], outcome }] };
    expect(() => readRunFile(file('bad.json', JSON.stringify(bad)))).toThrow(/\/verdicts\/0\/kind must be equal to one of the allowed values/);
    expect(() => readRunFile(file('text.json', 'KTAP version 1'))).toThrow(/text\.json: not a run.*Unexpected token/);
    expect(() => readRunFile(join(dir, 'nothere.json'))).toThrow(/nothere\.json: cannot read: ENOENT/);
  });
});
