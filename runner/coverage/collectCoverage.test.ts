import { describe, expect, it } from 'vitest';
import { splitDump } from './collectCoverage.js';
import { toRunOutcome, type ExecObservation } from '../executor/observation.js';

describe('splitDump', () => {
  it("takes the program's frames out of its kernel log, so they are neither log lines nor findings, and decodes them", () => {
    const data = Buffer.from('gcda bytes');
    const obs: ExecObservation = {
      id: 'clone-ok', status: { kind: 'exit', code: 0 }, stuck: false, ms: 5, json: undefined,
      // base64 that reads like an Oops to the console classifier
      klog: ['io_uring: a real line', '@@gcov-begin 6964', `@@gcda 6964 ${data.length} b/io_uring/spawn.gcda`, `@@gcdb 6964 ${data.toString('base64')}`, '@@gcdb 77 Oops+x', '@@gov-end', '@@gcov-end 6964 files=1 bytes=10 skipped=40', 'WARNING: CPU: 0 PID: 1 at real'],
    };
    expect(toRunOutcome(obs).findings.map((f) => f.kind)).toContain('OOPS');
    const { dump, obs: clean } = splitDump(obs);
    expect(clean.klog).toEqual(['io_uring: a real line', '@@gov-end', 'WARNING: CPU: 0 PID: 1 at real']);
    expect(toRunOutcome(clean).findings.map((f) => f.kind)).not.toContain('OOPS');
    expect(dump).toMatchObject({ tag: '6964', skipped: 40, complete: true });
    expect(dump!.files.get('b/io_uring/spawn.gcda')!.toString()).toBe('gcda bytes');
    expect(splitDump({ ...obs, klog: [] }).dump).toBeUndefined();
  });
});
