import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'uringspec-grow-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const seed = (extra: string) => `description: a seed
rules: [nop.issue.success]
provenance: { kind: generated, generated: true }
${extra}ring: { entries: 8 }
sqes:
  - { op: NOP, flags: [IOSQE_IO_LINK] }
  - op: NOP
`;

describe('fuzz --grow-from', () => {
  it('refuses, in one line before any work, seeds that may not run on the target and a bad seed file', async () => {
    const vmOnly = join(dir, 'vm-only');
    mkdirSync(vmOnly);
    writeFileSync(join(vmOnly, 's.yaml'), seed('flags: [vm-only]\n'));
    const r = await cli(['fuzz', '--seed', '1', '--runs', '5', '--grow-from', vmOnly]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/--grow-from .*vm-only: none of its 1 cases may run on host with upstream-6\.18/)]);
    const bad = join(dir, 'bad');
    mkdirSync(bad);
    writeFileSync(join(bad, 's.yaml'), seed('').replace('op: NOP\n', 'op: NOPE\n'));
    const b = await cli(['fuzz', '--seed', '1', '--runs', '5', '--grow-from', bad]);
    expect(b.code).toBe(2);
    expect(b.stderr.trim().split('\n')).toHaveLength(1);
    expect(b.stderr).toMatch(/s\.yaml:\d+:\d+/);
  });

  it('runs a campaign that grows chains from host seeds, clean on the host kernel', async () => {
    const ok = join(dir, 'ok');
    mkdirSync(ok);
    writeFileSync(join(ok, 's.yaml'), seed(''));
    const r = await cli(['fuzz', '--seed', '3', '--runs', '300', '--grow-from', ok, '--out', join(dir, 'found')]);
    expect(r.stderr).toMatch(/\[300\/300\] 100%/);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('300 passed, 0 failed');
    expect(r.code).toBe(0);
  });
});
