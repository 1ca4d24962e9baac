import type { Case, Expectation } from '../../spec/types.js';

type Sample = Case & { expect: Expectation };

const base = { rules: [], provenance: { kind: 'hand-written' as const } };
const ts10ms = { timespec: { sec: 0, nsec: 10_000_000 } };

/** Hand-made cases with expectations checked by hand against the host kernel. */
export const sampleCases: Record<string, Sample> = {
  nop: {
    ...base,
    description: 'a lone NOP completes with 0',
    ring: { entries: 4 },
    sqes: [{ op: 'NOP' }],
    expect: { submitted: [1], cqes: [{ user_data: 1, res: { eq: 0 }, because: ['nop.issue.ok'] }], order: [] },
  },
  readLinkNop: {
    ...base,
    description: 'READ of a pipe holding 4 bytes, linked to a NOP',
    ring: { entries: 4 },
    fixtures: { p: { kind: 'pipe', bytes: 4 } },
    sqes: [
      { op: 'READ', flags: ['IOSQE_IO_LINK'], fields: { fd: { fd: 'p' }, addr: { buf: 4 }, len: 4 } },
      { op: 'NOP' },
    ],
    expect: {
      submitted: [2],
      cqes: [
        { user_data: 1, res: { eq: 4 }, because: ['read.issue.ok'] },
        { user_data: 2, res: { eq: 0 }, because: ['nop.issue.ok'] },
      ],
      order: [[1, 2]],
    },
  },
  injectFailsLink: {
    ...base,
    description: 'a NOP that injects -5 fails its link: the next NOP is cancelled',
    ring: { entries: 4 },
    sqes: [
      { op: 'NOP', flags: ['IOSQE_IO_LINK'], fields: { rw_flags: 1, len: -5 } },
      { op: 'NOP' },
    ],
    expect: {
      submitted: [2],
      cqes: [
        { user_data: 1, res: { eq: -5 }, because: ['nop.issue.inject'] },
        { user_data: 2, res: { eq: -125 }, because: ['chain.link.fail'] },
      ],
      order: [[1, 2]],
    },
  },
  skipSuccess: {
    ...base,
    description: 'a successful NOP with CQE_SKIP_SUCCESS posts no CQE; the NOP linked after it does',
    ring: { entries: 4 },
    sqes: [{ op: 'NOP', flags: ['IOSQE_IO_LINK', 'IOSQE_CQE_SKIP_SUCCESS'] }, { op: 'NOP' }],
    expect: {
      submitted: [2],
      cqes: [
        { user_data: 1, res: { absent: true }, because: ['chain.skip-success'] },
        { user_data: 2, res: { eq: 0 }, because: ['nop.issue.ok'] },
      ],
      order: [],
    },
  },
  pendingRead: {
    ...base,
    description: 'a READ of an empty pipe stays in flight',
    ring: { entries: 4 },
    fixtures: { p: { kind: 'pipe' } },
    sqes: [{ op: 'READ', fields: { fd: { fd: 'p' }, addr: { buf: 4 }, len: 4 } }],
    expect: { submitted: [1], cqes: [{ user_data: 1, res: { pending: true }, because: ['read.issue.blocks'] }], order: [] },
  },
  batches: {
    ...base,
    description: 'a LINK flag on the last SQE of a submission ends the chain there',
    ring: { entries: 4 },
    batches: [1, 1],
    sqes: [{ op: 'NOP', flags: ['IOSQE_IO_LINK'], fields: { rw_flags: 1, len: -22 } }, { op: 'NOP' }],
    expect: {
      submitted: [1, 1],
      cqes: [
        { user_data: 1, res: { eq: -22 }, because: ['nop.issue.inject'] },
        { user_data: 2, res: { eq: 0 }, because: ['chain.link.ends-at-submit'] },
      ],
      order: [],
    },
  },
  linkTimeout: {
    ...base,
    description: 'a LINK_TIMEOUT cuts off a READ of an empty pipe',
    ring: { entries: 4 },
    fixtures: { p: { kind: 'pipe' } },
    sqes: [
      { op: 'READ', flags: ['IOSQE_IO_LINK'], fields: { fd: { fd: 'p' }, addr: { buf: 4 }, len: 4 } },
      { op: 'LINK_TIMEOUT', fields: { addr: ts10ms, len: 1 } },
    ],
    expect: {
      submitted: [2],
      cqes: [
        { user_data: 1, res: { one_of: [-4, -125] }, because: ['link_timeout.issue.cuts'] },
        { user_data: 2, res: { one_of: [-62, -114] }, because: ['link_timeout.issue.fires'] },
      ],
      order: [],
    },
  },
  everyFixture: {
    ...base,
    description: 'every fixture kind is created, and SQEs reach the fd ones',
    ring: { entries: 8, flags: ['IORING_SETUP_SUBMIT_ALL'] },
    fixtures: {
      p: { kind: 'pipe', bytes: 70_000, writer_closed: false },
      f: { kind: 'file', size: 10, mode: 0o600 },
      d: { kind: 'dir' },
      c: { kind: 'closed-fd' },
      h: { kind: 'exec-helper' },
      m: { kind: 'exec-missing' },
      n: { kind: 'exec-noexec' },
      g: { kind: 'exec-garbage' },
      s: { kind: 'exec-script' },
      s2: { kind: 'exec-script', interpreter: 'missing' },
      t: { kind: 'exec-notdir' },
      top: { kind: 'dir', self: true },
    },
    sqes: [
      { op: 'READ', fields: { fd: { fd: 'f' }, addr: { buf: 4 }, len: 4 } },
      { op: 'WRITE', fields: { fd: { fd: 'p', end: 'w' }, addr: { str: 'abcd' }, len: 4 } },
      { op: 'READ', fields: { fd: { fd: 'c' }, addr: { buf: 4 }, len: 4 } },
      { op: 'OPENAT', fields: { fd: -100, addr: { path: 'n' } } },
      { op: 'OPENAT', fields: { fd: { fd: 'd' }, addr: { str: 'missing' } } },
      // the helper's copy is open for reading; the temp dir itself holds every fixture
      { op: 'READ', fields: { fd: { fd: 'h' }, addr: { buf: 4 }, len: 4 } },
      { op: 'OPENAT', fields: { fd: { fd: 'top' }, addr: { path: 's' } } },
      { op: 'OPENAT', fields: { fd: { fd: 'top' }, addr: { path: 't' } } },
    ],
    expect: {
      submitted: [8],
      cqes: [
        { user_data: 1, res: { eq: 4 }, because: [] },
        { user_data: 2, res: { eq: 4 }, because: [] },
        { user_data: 3, res: { eq: -9 }, because: [] },
        { user_data: 4, res: { min: 0 }, because: [] },
        { user_data: 5, res: { eq: -2 }, because: [] },
        { user_data: 6, res: { eq: 4 }, because: [] },
        { user_data: 7, res: { min: 0 }, because: [] },
        { user_data: 8, res: { eq: -20 }, because: [] },
      ],
      order: [],
    },
  },
  spawnNothing: {
    ...base,
    description: 'a NOP spawns no task: the report pipe stays empty and no task is reaped',
    ring: { entries: 4 },
    sqes: [{ op: 'NOP' }],
    expect: { submitted: [1], cqes: [{ user_data: 1, res: { eq: 0 }, because: ['nop.issue.ok'] }], order: [], spawn: { tasks: [] } },
  },
};
