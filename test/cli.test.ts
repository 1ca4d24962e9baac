import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'uringspec-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const nopCase = `description: a NOP
rules: [nop.issue.success]
provenance: { kind: hand-written }
ring: { entries: 8 }
sqes:
  - op: NOP
`;

describe('uringspec CLI', () => {
  it('prints help and exits 0', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['validate', 'predict', 'gen', 'render', 'run', 'fuzz', 'docs', 'report', 'kernel']) expect(r.stdout).toContain(c);
  });

  it('exits 2 with one line naming file, line, column and field for a bad case', async () => {
    const f = join(dir, 'bad.yaml');
    writeFileSync(f, nopCase.replace('op: NOP', 'op: NOPE'));
    const r = await cli(['validate', f]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/bad\.yaml:6:9: sqes\.0\.op: unknown op "NOPE"/);
  });

  it('exits 2 for a missing file, an unknown profile and a bad option value', async () => {
    expect((await cli(['render', join(dir, 'nothere.yaml')])).code).toBe(2);
    const f = join(dir, 'nop.yaml');
    writeFileSync(f, nopCase);
    const p = await cli(['predict', f, '--profile', 'nonesuch']);
    expect(p.code).toBe(2);
    expect(p.stderr).toMatch(/unknown profile "nonesuch"/);
    expect((await cli(['gen', '--seed', 'x', '--count', '1', '--out', dir])).code).toBe(2);
  });

  it('exits 2 when a kernel image is missing', async () => {
    const f = join(dir, 'nop.yaml');
    writeFileSync(f, nopCase);
    const r = await cli(['run', f, '--target', 'qemu', '--kernel', join(dir, 'no-bzImage')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/kernel image not found/);
  });

  it('predicts, renders and runs a case on the host', async () => {
    const f = join(dir, 'nop.yaml');
    writeFileSync(f, nopCase);
    const p = JSON.parse((await cli(['predict', f])).stdout);
    expect(p.expect.cqes).toEqual([{ user_data: 1, res: { eq: 0 }, flags: 0, because: ['nop.issue.success'] }]);
    const c = await cli(['render', f]);
    expect(c.stdout).toMatch(/^\/\* SPDX-License-Identifier: MIT \*\//);
    const r = await cli(['run', f, '--json', join(dir, 'r.json'), '--junit', join(dir, 'r.xml')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^KTAP version 1$/m);
    expect(r.stdout).toMatch(/^ok 1 nop$/m);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('1 passed, 0 failed, 0 skipped');
  });

  it('writes generated cases that validate', async () => {
    const out = join(dir, 'gen');
    expect((await cli(['gen', '--seed', '5', '--count', '20', '--out', out])).code).toBe(0);
    const v = await cli(['validate', out]);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toMatch(/20 cases valid/);
  });
});
