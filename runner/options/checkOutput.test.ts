import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkOutputDir, checkOutputFile } from './checkOutput.js';

const dir = mkdtempSync(join(tmpdir(), 'uringspec-out-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('output paths checked before any work', () => {
  it('accepts a new file (creating nothing) and a file under directories still to be made', () => {
    checkOutputFile('--json', join(dir, 'r.json'));
    expect(existsSync(join(dir, 'r.json'))).toBe(false);
    checkOutputFile('--json', join(dir, 'a/b/r.json'));
    expect(existsSync(join(dir, 'a'))).toBe(false);
  });

  it('refuses a path that cannot be written, naming the option', () => {
    writeFileSync(join(dir, 'plain'), 'x');
    expect(() => checkOutputFile('--json', join(dir, 'plain/r.json'))).toThrow(/^--json .*plain\/r\.json: .*plain is not a directory$/);
    expect(() => checkOutputFile('--junit', '/proc/uringspec.xml')).toThrow(/^--junit \/proc\/uringspec\.xml: cannot write/);
    expect(() => checkOutputFile('--json', dir)).toThrow(/is a directory/);
  });

  it('refuses an existing file unless --force, and leaves it as it was', () => {
    writeFileSync(join(dir, 'report.md'), 'keep');
    expect(() => checkOutputFile('--out', join(dir, 'report.md'), { refuseExisting: true })).toThrow(/exists \(give --force/);
    checkOutputFile('--out', join(dir, 'report.md'), { refuseExisting: true, force: true });
    checkOutputFile('--json', join(dir, 'report.md'));
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toBe('keep');
  });

  it('refuses a directory that is not empty unless --force', () => {
    mkdirSync(join(dir, 'gen'));
    checkOutputDir('--out', join(dir, 'gen'));
    checkOutputDir('--out', join(dir, 'gen2/sub'));
    writeFileSync(join(dir, 'gen/x.yaml'), '');
    expect(() => checkOutputDir('--out', join(dir, 'gen'))).toThrow(/not empty \(give --force/);
    checkOutputDir('--out', join(dir, 'gen'), { force: true });
    expect(() => checkOutputDir('--out', join(dir, 'plain'))).toThrow(/not a directory/);
  });
});
