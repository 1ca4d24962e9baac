import { copyFileSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, ROOT } from '../../test/helpers.js';
import { loadCases } from '../../runner/corpus.js';
import { loadSpec } from '../load/loadSpec.js';
import { checkCaseId } from './caseId.js';

describe('checkCaseId', () => {
  it.each(['nop/plain-nop-succeeds', 'spawn/clone+exec.v2', 'found/a1b2c3', 'x_y/Z-9'])('accepts %s', (id) => {
    expect(checkCaseId(`cases/${id}.yaml`, id)).toBe(id);
  });

  it.each([
    ['a # (KTAP directive)', 'nop/bad#id'],
    ['a space', 'nop/two words'],
    ['a leading dot', '.hidden'],
    ['a leading dash', '-x'],
    ['a colon', 'nop/a:b'],
    ['a non-ASCII letter', 'nop/café'],
    ['nothing', ''],
  ])('rejects an id with %s as one line file:1:1: (id)', (_what, id) => {
    expect(() => checkCaseId(`cases/${id}.yaml`, id)).toThrow(new RegExp(`^cases/.*\\.yaml:1:1: \\(id\\): case id .* must match \\^\\[A-Za-z0-9\\]`));
  });

  it('rejects an id longer than 255 characters', () => {
    const id = 'a'.repeat(256);
    expect(() => checkCaseId(`${id}.yaml`, id)).toThrow(/:1:1: \(id\): case id "a+" is longer than 255 characters/);
  });
});

describe('a case file whose name makes a bad id', () => {
  it('is one line file:1:1: (id) from validate, render and run, exit 2 and no stack, before any work', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'uringspec-caseid-'));
    try {
      const file = join(dir, 'nop#1.yaml');
      copyFileSync(join(ROOT, 'cases/nop/plain-nop-succeeds.yaml'), file);
      for (const args of [['validate', file], ['render', file], ['run', file, '--json', join(dir, 'r.json')]]) {
        const r = await cli(args);
        expect(r.code, args[0]).toBe(2);
        expect(r.stderr.trim().split('\n'), args[0]).toEqual([`uringspec: ${file}:1:1: (id): case id "nop#1" (the file's path) must match ^[A-Za-z0-9][A-Za-z0-9._/+-]*$: rename the file`]);
        expect(r.stdout, args[0]).toBe('');
      }
      // the same case under a good name is fine
      renameSync(file, join(dir, 'nop-1.yaml'));
      expect((await cli(['validate', join(dir, 'nop-1.yaml')])).code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('never happens in the corpus', () => {
    expect(loadCases(loadSpec()).length).toBeGreaterThan(40);
  });
});
