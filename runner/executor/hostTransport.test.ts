import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hostTransport } from './hostTransport.js';

const dir = mkdtempSync(join(tmpdir(), 'uringspec-transport-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hostTransport', () => {
  it('lets many writers wait for a full pipe without a listener each (no MaxListenersExceededWarning)', async () => {
    // an "executor" that reads nothing until it is told to: every write beyond the pipe's buffer waits
    const slow = join(dir, 'slow.sh');
    writeFileSync(slow, '#!/bin/sh\nsleep 1\nexec cat > /dev/null\n');
    chmodSync(slow, 0o755);
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    const t = hostTransport({ binary: slow, timeoutMs: 1000 });
    const ended = new Promise<string | undefined>((res) => t.onEnd(res));
    try {
      const chunk = 'x'.repeat(64 * 1024);
      await Promise.all(Array.from({ length: 40 }, () => t.write(chunk)));
      t.end();
      expect(await ended).toBeUndefined();
      await new Promise((res) => setImmediate(res));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
      t.kill();
    }
  }, 20_000);
});
