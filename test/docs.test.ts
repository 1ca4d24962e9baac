import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, ROOT } from './helpers.js';

describe('docs/reference', () => {
  it('is what `uringspec docs` generates from the current spec and corpus', async () => {
    const out = mkdtempSync(join(tmpdir(), 'uringspec-docs-'));
    try {
      const r = await cli(['docs', '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      const committed = join(ROOT, 'docs', 'reference');
      const files = readdirSync(out).sort();
      expect(readdirSync(committed).sort()).toEqual(files);
      for (const f of files) expect(readFileSync(join(committed, f), 'utf8'), `${f} is stale: run npx uringspec docs`).toBe(readFileSync(join(out, f), 'utf8'));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
