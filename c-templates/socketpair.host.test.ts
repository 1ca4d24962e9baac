import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Case, Expectation, ResExpect } from '../spec/types.js';
import { loadSpec } from '../spec/load/loadSpec.js';
import { predict } from '../generators/oracle/predict.js';
import { renderCase } from './renderCase.js';
import { formOf } from './testing/formOf.js';
import { buildC, runC } from './testing/buildC.js';
import { ringSpec } from './testing/ringSpec.js';

// the oracle's socketpair model (generators/oracle/socket.test.ts) on the host: each prediction passes, and a
// planted wrong observation (what a wrong model of the byte streams would have said) makes the check fail
const spec = loadSpec();
const host = spec.profiles['upstream-6.18']!;
const errno = (name: string) => -spec.ring.errno[name]!;
const root = mkdtempSync(join(tmpdir(), 'uringspec-socket-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const base = { description: 'd', rules: [], provenance: { kind: 'hand-written' as const }, ring: { entries: 8 } };

/** SEND 5 bytes on the case's end, then RECV 16 on the peer, then RECV 16 on the case's end (nothing was sent to it). */
const sendThenRecv: Case = {
  ...base, fixtures: { s: { kind: 'socketpair' } },
  sqes: [
    { op: 'SEND', flags: ['IOSQE_IO_LINK'], fields: { fd: { fd: 's' }, addr: { buf: 5 }, len: 5 } },
    { op: 'RECV', fields: { fd: { fd: 's', end: 'w' }, addr: { buf: 16 }, len: 16 } },
    { op: 'RECV', fields: { fd: { fd: 's' }, addr: { buf: 16 }, len: 16 } },
  ],
};

/** The case with user_data ud's CQE expected as `r` (and `flags`) instead: what a kernel that observed them would pass. */
function planted(c: Case & { expect: Expectation }, ud: number, r: ResExpect, flags?: number): Case & { expect: Expectation } {
  return { ...c, expect: { ...c.expect, cqes: c.expect.cqes.map((q) => (q.user_data === ud ? { ...q, res: r, ...(flags !== undefined ? { flags } : {}) } : q)) } };
}

function run(c: Case & { expect: Expectation }) {
  const bin = buildC(renderCase(formOf(c, { name: 'host/socket', profile: host }), { ring: ringSpec, profile: host }), root);
  const tmp = mkdtempSync(join(root, 'tmp-'));
  const out = runC(bin, { ...process.env, TMPDIR: tmp, URINGSPEC_HELPER: '' });
  expect(readdirSync(tmp), 'temp dir left behind').toEqual([]);
  return out;
}

describe('the socketpair model on the host', { timeout: 120_000 }, () => {
  it("SEND then RECV at the peer pass as predicted; a planted RECV at the sender's own end (5 bytes) fails", () => {
    const c = { ...sendThenRecv, expect: predict(spec, host, sendThenRecv) };
    expect(run(c).result.verdict).toBe('pass');
    const r = run(planted(c, 3, { eq: 5 }, 0));
    expect(r.code).toBe(1);
    expect(r.result.verdict).toBe('fail');
  });

  it('a peer closed: SEND gives -EPIPE and RECV 0; a planted SEND that went through (8) fails', () => {
    const c0: Case = {
      ...base, fixtures: { s: { kind: 'socketpair', peer_closed: true } },
      sqes: [
        { op: 'SEND', fields: { fd: { fd: 's' }, addr: { buf: 8 }, len: 8 } },
        { op: 'RECV', fields: { fd: { fd: 's' }, addr: { buf: 8 }, len: 8 } },
      ],
    };
    const c = { ...c0, expect: predict(spec, host, c0) };
    expect(c.expect.cqes.map((q) => q.res)).toEqual([{ eq: errno('EPIPE') }, { eq: 0 }]);
    expect(run(c).result.verdict).toBe('pass');
    expect(run(planted(c, 1, { eq: 8 })).result.verdict).toBe('fail');
  });

  it('a RECV leaving bytes queued: a planted CQE without IORING_CQE_F_SOCK_NONEMPTY fails', () => {
    const c0: Case = { ...base, fixtures: { s: { kind: 'socketpair', bytes: 8 } }, sqes: [{ op: 'RECV', fields: { fd: { fd: 's' }, addr: { buf: 4 }, len: 4 } }] };
    const c = { ...c0, expect: predict(spec, host, c0) };
    expect(run(c).result.verdict).toBe('pass');
    expect(run(planted(c, 1, { eq: 4 }, 0)).result.verdict).toBe('fail');
  });
});
