import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../../test/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'uringspec-validate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const nops = (n: number, entries: number, extra = '') => `description: NOPs
rules: [nop.issue.success]
provenance: { kind: hand-written }
ring: { entries: ${entries}${extra} }
sqes:
${'  - op: NOP\n'.repeat(n)}`;

function write(sub: string, name: string, text: string): string {
  mkdirSync(join(dir, sub), { recursive: true });
  const f = join(dir, sub, name);
  writeFileSync(f, text);
  return f;
}

describe('uringspec validate', () => {
  it('reports every bad file of a directory, one line each, then exits 2', async () => {
    write('many', 'a-good.yaml', nops(2, 4));
    write('many', 'b-unknown-op.yaml', nops(1, 4).replace('op: NOP', 'op: NOPE'));
    write('many', 'c-unknown-rule.yaml', nops(1, 4).replace('nop.issue.success', 'nop.issue.nothing'));
    const r = await cli(['validate', join(dir, 'many')]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/b-unknown-op\.yaml:6:9: sqes\.0\.op: unknown op "NOPE"/);
    expect(lines[1]).toMatch(/c-unknown-rule\.yaml:2:\d+: rules\.0: unknown rule id/);
  });

  it("a hand-written message CQE (MSG_RING's to its own ring) must name the request that posted it", async () => {
    const text = `description: x
rules: [msg-ring.issue.data-posted]
provenance: { kind: hand-written }
ring: { entries: 4 }
fixtures:
  r: { kind: own-ring }
sqes:
  - { op: MSG_RING, fields: { fd: { fd: r }, len: 3, off: 4660 } }
expect:
  submitted: [1]
  cqes:
    - { user_data: 1, res: { eq: 0 }, because: [msg-ring.issue.data-posted] }
    - { user_data: 4660, res: { eq: 3 }, posted_by: 1, because: [msg-ring.issue.data-posted] }
  order: [[4660, 1]]
`;
    expect((await cli(['validate', write('posted', 'ok.yaml', text)])).code).toBe(0);
    const r = await cli(['validate', write('posted', 'unnamed.yaml', text.replace(', posted_by: 1', ''))]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unnamed\.yaml:10:\d+: expect: the hand-written expectation disagrees with the oracle/);
  });

  it('rejects more SQEs in one batch than the SQ ring holds (entries rounded up to a power of two), at ring.entries', async () => {
    expect((await cli(['validate', write('fit', 'ok.yaml', nops(4, 3))])).code).toBe(0);
    const r = await cli(['validate', write('fit', 'over.yaml', nops(5, 3))]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/over\.yaml:4:\d+: ring\.entries: 5 SQEs are in an SQ ring of 4 entries/);
  });

  it('holds a hand-written fds_stored to the oracle: the read end written as O_RDONLY passes, as O_WRONLY is refused', async () => {
    const pipe = (fl: number) => `description: a PIPE
rules: [pipe.issue.success]
requires: { profiles: [upstream-6.18] }
provenance: { kind: hand-written }
ring: { entries: 2 }
sqes:
  - { op: PIPE, fields: { addr: { buf: 8 }, len: 8 } }
expect:
  submitted: [1]
  cqes: [{ user_data: 1, res: { eq: 0 }, flags: 0, because: [pipe.issue.success] }]
  order: []
  fds_stored: [{ user_data: 1, slot: addr, ints: [{ fl: ${fl}, cloexec: false }, { fl: 1, cloexec: false }], one_pipe: true }]
`;
    expect((await cli(['validate', write('fds', 'ok.yaml', pipe(0))])).code).toBe(0);
    const r = await cli(['validate', write('fds', 'planted.yaml', pipe(1))]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/planted\.yaml:\d+:\d+: expect: the hand-written expectation disagrees with the oracle on upstream-6\.18/);
  });

  it('counts SQEs an earlier batch left in the ring', async () => {
    // a prep failure that ends its link stops the batch: the NOP after it stays in the SQ for batch 2
    const text = `${nops(0, 2)}  - { op: NOP, fields: { rw_flags: 64 } }\n${'  - op: NOP\n'.repeat(3)}batches: [2, 2]\n`;
    const r = await cli(['validate', write('left', 'leftover.yaml', text)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ring\.entries: batch 2 puts 3 SQEs in an SQ ring of 2 entries/);
  });

  it('takes setup flags io_uring_setup() refuses as a case of that refusal, unless the case expects a ring', async () => {
    const ok = await cli(['validate', write('flags', 'sqpoll-coop.yaml', nops(1, 4, ', flags: [IORING_SETUP_SQPOLL, IORING_SETUP_COOP_TASKRUN]'))]);
    expect(ok.code).toBe(0);
    const wrong = `${nops(1, 4, ', flags: [IORING_SETUP_SQPOLL, IORING_SETUP_COOP_TASKRUN]')}expect:\n  submitted: [1]\n  cqes: [{ user_data: 1, res: { eq: 0 }, because: [nop.issue.success] }]\n  order: []\n`;
    const r = await cli(['validate', write('flags2', 'sqpoll-coop.yaml', wrong)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/sqpoll-coop\.yaml:\d+:\d+: expect: the hand-written expectation disagrees with the oracle on [a-z0-9.-]+: oracle says \{"setup":\{"res":-22/);
  });

  it('rejects a number JavaScript cannot hold exactly', async () => {
    const r = await cli(['validate', write('num', 'big.yaml', `${nops(0, 2)}  - { op: READ, fields: { off: 9223372036854775000 } }\n`)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/big\.yaml:6:\d+: sqes\.0\.fields\.off: .* is not an exact integer/);
  });
});
