import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Case } from '../../spec/types.js';
import { loadSpec } from '../../spec/load/loadSpec.js';
import { readCase } from '../../spec/case/parseCase.js';
import { predict } from './predict.js';

// store_fds (spec/types.ts Effect): a new pipe whose ends become fds of the task or go into registered slots
const spec = loadSpec();
const host = spec.profiles['upstream-6.18']!;
const read = (file: string) => readCase(join(__dirname, '..', '..', 'cases', file), spec);
const resOf = (c: Case, ud: number) => predict(spec, host, c).cqes.find((q) => q.user_data === ud)!.res;

describe('the store_fds effect', () => {
  it('puts a modelled pipe in the slots: a fixed WRITE to the write end, then a fixed READ of the read end, gets the bytes', () => {
    const c = read('pipe/slots-write-then-read.yaml');
    expect(resOf(c, 2)).toEqual({ eq: 6 });
    expect(resOf(c, 3)).toEqual({ eq: 6 });
    // without the PIPE the slots stay empty: the same members fail with -EBADF (so the 6 above is the pipe's)
    const without: Case = { ...c, sqes: c.sqes.slice(1) };
    expect(resOf(without, 1)).toEqual({ eq: -spec.ring.errno.EBADF! });
  });

  it('leaves a slot empty when its request failed, and fills none for a normal-fd PIPE', () => {
    const c = read('pipe/slots-fault.yaml');
    // slot 0 kept its file, slot 1 lost it to the pipe and then the pipe end was removed
    expect(resOf(c, 2)).toEqual({ eq: 4 });
    expect(resOf(c, 3)).toEqual({ eq: -spec.ring.errno.EBADF! });
    expect(predict(spec, host, c).fds_stored).toBeUndefined();
  });

  it('stores nothing on 6.12, where PIPE never gets past io_init_req()', () => {
    const rfc = spec.profiles['rfc-v1-6.12']!;
    // on 6.12 PIPE never gets past io_init_req(), so it stores nothing
    const c = read('pipe/creates-pipe.yaml');
    const e = predict(spec, rfc, c);
    expect(e.cqes[0]!.because).toContain('init.opcode.unknown');
    expect(e.fds_stored).toBeUndefined();
    expect(predict(spec, host, c).fds_stored![0]!.ints).toHaveLength(2);
  });
  it('does not check what a request with no CQE stores when it runs after a timer (it may not have run when the CQEs are in)', () => {
    const pipe = (flags: string[]) => ({ op: 'PIPE', flags, fields: { addr: { buf: 8 }, len: 8, rw_flags: 524288 } });
    const timer = { op: 'TIMEOUT', flags: ['IOSQE_IO_LINK', 'IOSQE_CQE_SKIP_SUCCESS'], fields: { addr: { timespec: { sec: 0, nsec: 3_000_000 } }, len: 1, rw_flags: 32 } };
    const base = { description: 'd', rules: [], provenance: { kind: 'hand-written' as const }, ring: { entries: 4 } };
    const after: Case = { ...base, sqes: [timer, pipe(['IOSQE_CQE_SKIP_SUCCESS'])] };
    expect(predict(spec, host, after).fds_stored).toBeUndefined();
    // with its CQE, or issued at once, it is checked
    expect(predict(spec, host, { ...after, sqes: [timer, pipe([])] }).fds_stored?.map((x) => x.user_data)).toEqual([2]);
    expect(predict(spec, host, { ...after, sqes: [pipe(['IOSQE_CQE_SKIP_SUCCESS'])] }).fds_stored?.map((x) => x.user_data)).toEqual([1]);
  });
});
