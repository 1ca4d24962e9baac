import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadKnownGaps } from './knownGaps.js';

const dir = mkdtempSync(join(tmpdir(), 'uringspec-gaps-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (text: string) => {
  const f = join(dir, `g${Math.random()}.yaml`);
  writeFileSync(f, text);
  return f;
};

describe('loadKnownGaps', () => {
  it('reads the repo list', () => {
    for (const g of loadKnownGaps()) expect(g.reason.length).toBeGreaterThan(10);
  });

  it('names the line and field of a bad entry', () => {
    const f = file('- file: io_uring/spawn.c\n  function: io_clone\n  reason: x\n- file: a.c\n  functon: f\n  reason: y\n');
    expect(() => loadKnownGaps(f)).toThrow(`${f}:5:3: 1.functon: unknown field`);
    const g = file('- file: a.c\n  function: f\n');
    expect(() => loadKnownGaps(g)).toThrow(`${g}:1:3: 0.reason: required, a non-empty string`);
  });
});
