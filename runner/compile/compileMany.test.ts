import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { renderCase } from '../../c-templates/renderCase.js';
import { formOf } from '../../c-templates/testing/formOf.js';
import { hostProfile } from '../../c-templates/testing/hostProfile.js';
import { ringSpec } from '../../c-templates/testing/ringSpec.js';
import { sampleCases } from '../../c-templates/testing/sampleCases.js';
import { compileMany } from './compileMany.js';

describe('compileMany', { timeout: 60_000 }, () => {
  it('returns a binary or an Error per source, in order', async () => {
    const render = (name: keyof typeof sampleCases) =>
      renderCase(formOf(sampleCases[name]!, { name: `many/${name}`, profile: hostProfile }), { ring: ringSpec, profile: hostProfile });
    const sources = [render('nop'), 'int main(void) { return x; }', render('readLinkNop'), render('nop')];
    const cacheDir = mkdtempSync(join(tmpdir(), 'uringspec-cm-'));
    onTestFinished(() => rmSync(cacheDir, { recursive: true, force: true }));
    const out = await compileMany(sources, { cacheDir, jobs: 2 });
    expect(out).toHaveLength(4);
    expect(typeof out[0]).toBe('string');
    expect(out[1]).toBeInstanceOf(Error);
    expect(typeof out[2]).toBe('string');
    expect(out[3]).toBe(out[0]);
  });
});
