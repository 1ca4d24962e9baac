import { describe, expect, it } from 'vitest';
import { splitDump } from './collectCoverage.js';
import type { VmCaseResult } from '../qemu/runInVm.js';

describe('splitDump', () => {
  it("takes the case's frames out of its kernel log and findings, and decodes them", () => {
    const data = Buffer.from('gcda bytes');
    const r: VmCaseResult = {
      id: 'clone-ok', status: 'exited', exitCode: 0, stdout: [], ms: 5,
      klog: ['[ 1.0] io_uring: a real line', '[ 1.1] @@gcov-begin 3', `[ 1.1] @@gcda 3 ${data.length} b/io_uring/spawn.gcda`, `[ 1.1] @@gcdb 3 ${data.toString('base64')}`, '[ 1.2] @@gcov-end 3 files=1 bytes=10 skipped=40', '[ 1.3] WARNING: real'],
      findings: [{ kind: 'OOPS', line: '[ 1.1] @@gcdb 3 x/Oops+y' }, { kind: 'WARN', line: '[ 1.3] WARNING: real' }],
    };
    const { dump, klog } = splitDump(r, '3');
    expect(klog).toEqual(['[ 1.0] io_uring: a real line', '[ 1.3] WARNING: real']);
    expect(r.findings.map((f) => f.kind)).toEqual(['WARN']);
    expect(dump).toMatchObject({ complete: true, skipped: 40 });
    expect(dump!.files.get('b/io_uring/spawn.gcda')!.toString()).toBe('gcda bytes');
    expect(splitDump({ ...r, klog: [] }, '3').dump).toBeUndefined();
  });
});
