import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

describe('fuzz on the host', () => {
  it('a short seeded campaign finds no mismatch between the kernel and the oracle', async () => {
    const out = mkdtempSync(join(tmpdir(), 'uringspec-fuzz-'));
    try {
      const r = await cli(['fuzz', '--target', 'host', '--seed', '2026', '--runs', '60', '--out', out]);
      expect(r.stdout, r.stdout + r.stderr).toMatch(/^60 passed, 0 failed$/m);
      expect(r.code).toBe(0);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 900_000);
});
