import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

describe('TypeScript', () => {
  it('type-checks the whole project with tsc --noEmit', async () => {
    const r = await new Promise<{ code: number; out: string }>((resolve) => {
      execFile('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit'], { cwd: ROOT, maxBuffer: 16 << 20 }, (err, stdout, stderr) => resolve({ code: err ? 1 : 0, out: stdout + stderr }));
    });
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  }, 180_000);
});
