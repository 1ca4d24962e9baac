import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderCase } from '../../c-templates/renderCase.js';
import { formOf } from '../../c-templates/testing/formOf.js';
import { hostProfile } from '../../c-templates/testing/hostProfile.js';
import { ringSpec } from '../../c-templates/testing/ringSpec.js';
import { sampleCases } from '../../c-templates/testing/sampleCases.js';
import { compileCase } from './compileCase.js';

const nop = renderCase(formOf(sampleCases.nop!, { name: 'compile/nop', profile: hostProfile }), { ring: ringSpec, profile: hostProfile });
const root = mkdtempSync(join(tmpdir(), 'uringspec-cc-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const cache = () => mkdtempSync(join(root, 'cache-'));

describe('compileCase', { timeout: 60_000 }, () => {
  it('builds into <cacheDir>/bin/<sha256>, keeps the source beside it, and reuses it', async () => {
    const cacheDir = cache();
    const bin = await compileCase(nop, { cacheDir });
    expect(dirname(bin)).toBe(join(cacheDir, 'bin'));
    expect(bin).toMatch(/\/[0-9a-f]{64}$/);
    expect(readFileSync(`${bin}.c`, 'utf8')).toBe(nop);
    const mtime = statSync(bin).mtimeMs;
    expect(await compileCase(nop, { cacheDir })).toBe(bin);
    expect(statSync(bin).mtimeMs).toBe(mtime);
    expect(spawnSync(bin, { encoding: 'utf8' }).status).toBe(0);
  });

  it('builds a static binary under its own key', async () => {
    const cacheDir = cache();
    const dyn = await compileCase(nop, { cacheDir });
    const stat = await compileCase(nop, { cacheDir, static: true });
    expect(stat).not.toBe(dyn);
    expect(execFileSync('readelf', ['-l', stat], { encoding: 'utf8' })).not.toContain('INTERP');
    expect(spawnSync(stat, { encoding: 'utf8' }).status).toBe(0);
  });

  it('is safe when the same source builds in parallel', async () => {
    const cacheDir = cache();
    const bins = await Promise.all(Array.from({ length: 4 }, () => compileCase(nop, { cacheDir })));
    expect(new Set(bins).size).toBe(1);
    expect(spawnSync(bins[0]!, { encoding: 'utf8' }).status).toBe(0);
  });

  it('names a missing compiler in one line', async () => {
    await expect(compileCase(nop, { cacheDir: cache(), cc: 'no-such-gcc' })).rejects.toThrow(/^no-such-gcc not found: install gcc/);
  });

  it('passes gcc errors on, with -Werror in force', async () => {
    const bad = nop.replace('int main(void)', 'static int unused;\nint main(void)');
    const err = await compileCase(bad, { cacheDir: cache() }).catch((e: Error) => e);
    const m = /^gcc failed on (\S+\.c):\n/.exec(String((err as Error).message));
    expect(m, String(err)).not.toBeNull();
    expect(readFileSync(m![1]!, 'utf8')).toBe(bad);
    expect((err as Error).message).toContain(`${m![1]}:`);
    expect((err as Error).message).toContain("'unused' defined but not used");
  });
});
