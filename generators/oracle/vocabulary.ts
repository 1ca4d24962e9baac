import type { OpSpec, Spec } from '../../spec/types.js';
import { SQE_SLOTS } from '../../spec/types.js';

/**
 * The vocabulary of the spec's expressions: every name a rule may read. evalContext (context.ts) builds
 * exactly these facts (context.test.ts checks both ways), and `validate` resolves every name of every
 * expression against this declaration. Facts whose names come from the spec's data (SQE slots, setup
 * flags, profile features, constants) are declared by where they come from.
 */
export type FactType = 'int' | 'bool' | 'string';
export interface Fact { type: FactType; doc: string }

const int = (doc: string): Fact => ({ type: 'int', doc });
const bool = (doc: string): Fact => ({ type: 'bool', doc });
const str = (doc: string): Fact => ({ type: 'string', doc });

/** The facts whose names are fixed, by group. */
export const FACTS = {
  sqe: {
    len_s32: int('len read as a signed 32-bit value'),
    user_data: int("the SQE's user_data (its 1-based position)"),
    flags: int('the IOSQE_* bits, from ring.yaml sqe_flags'),
    link: bool('IOSQE_IO_LINK is set'),
    hardlink: bool('IOSQE_IO_HARDLINK is set'),
    async: bool('IOSQE_ASYNC is set'),
    drain: bool('IOSQE_IO_DRAIN is set'),
    skip_success: bool('IOSQE_CQE_SKIP_SUCCESS is set'),
    buffer_select: bool('IOSQE_BUFFER_SELECT is set'),
    fixed_file: bool('IOSQE_FIXED_FILE is set'),
  },
  op: {
    opcode: int("the op's opcode number on the profile, -1 when the profile lacks the op"),
  },
  ring: {
    drain_disabled: bool('an SQE with IOSQE_CQE_SKIP_SUCCESS already passed the flag checks (ctx->drain_disabled)'),
  },
  link: {
    in_link: bool('a link is being assembled (or run) and this SQE is not its head'),
    has_next: bool('another member is linked after this one'),
    prev_op: str('short name of the member before this one, "" for a head'),
  },
  fd: {
    kind: str('what the fd field names: closed, cwd (AT_FDCWD), pipe-r, pipe-w, file, dir, or a fixture model fd_kind'),
    open: bool('the fd is open in the issuing task'),
    avail: int('bytes buffered in the pipe'),
    writers: int('open write ends of the pipe'),
    readers: int('open read ends of the pipe'),
    size: int('size of the regular file'),
    pos: int('the file position (f_pos) of the regular file, moved by reads and writes at offset -1'),
    self: bool('the directory is the temp dir itself'),
    acc: int('the O_ACCMODE bits the fd was opened with, for an fd a request of the case opened ({ result_of }); -1 for a fixture\'s fd (its kind says what it allows)'),
    ring_files: int("slots of the registered file table of the other ring the fd names (a fixture with model ring_files), 0 for none"),
  },
  path: {
    kind: str('what the addr field names as a path: null, bad-address, empty, not-a-path, file (created), exec-missing, or a fixture kind'),
    type: str('what a lookup finds: reg, dir, missing, notdir, none'),
    empty: bool('the path is the empty string'),
    relative: bool('the path is relative (looked up from dirfd)'),
    interpreter: str('the #! interpreter of a script fixture: helper, missing, or ""'),
    length: int('bytes of the path string (getname() refuses 4096 and more)'),
    longest_component: int('bytes of its longest component (a lookup refuses more than 255)'),
    trailing_slash: bool('the path string ends in "/"'),
    mode: int('the permission bits of a fixture with a mode param (a file), -1 for any other path'),
  },
  files: {
    registered: bool("a fixture registered the ring's file table (direct descriptors)"),
    nr: int('slots in the registered file table, 0 without one'),
    alloc: int("the slot IORING_FILE_INDEX_ALLOC takes: the first free one from the allocator's hint, wrapping once; -1 when none is free"),
    slot_used: bool('the slot file_index names (file_index - 1) holds a file'),
    free: int('empty slots in the registered file table, 0 without one'),
    src_used: bool('the registered slot the low 32 bits of addr3 name holds a file (the source slot of MSG_RING IORING_MSG_SEND_FD)'),
    alloc2: int("the slot a second IORING_FILE_INDEX_ALLOC takes once files.alloc is filled (the allocator's hint then is files.alloc + 1); -1 when none is left"),
  },
  cred: {
    personality: bool("the SQE's personality names a registered personality fixture"),
    uid: int("the uid the request runs with: its personality's, else the submitter's"),
    gid: int("the gid the request runs with: its personality's, else the submitter's"),
  },
  ts: {
    present: bool('addr points at a timespec'),
    sec: int('tv_sec'),
    nsec: int('tv_nsec'),
    ms: int('the timespec in whole milliseconds'),
  },
  buf: {
    size: int('bytes of the buffer addr points at, 0 when it is not a buffer'),
  },
  iov: {
    count: int('segments of the iovec array addr points at, 0 when it is not one'),
    bytes: int('bytes of its first len segments (the ones READV and WRITEV import)'),
  },
  task: {
    spawn: bool('the request is issued by the task a CLONE created'),
    nproc_exhausted: bool('the submitter is a non-root user already at its RLIMIT_NPROC'),
  },
  target: {
    pending: bool('the request whose user_data is addr was issued and waits (posts no CQE yet): what a cancel by user_data finds'),
    op: str('short name of that request\'s op, "" when there is none'),
  },
  prev: {
    pending: bool('the member a LINK_TIMEOUT guards waits (posts no CQE)'),
    waits_armed: bool("the guarded member waits on a wait queue entry it armed (its outcome's waits_armed): its ->issue() returned, even from a blocking io-wq issue"),
    deferred: bool('the guarded member completes later (a timer)'),
    deferred_ms: int("the guarded timer's timeout in ms"),
    res: int("the guarded member's res, when it has one"),
    may_punt: bool('the guarded member may go to io-wq'),
    iowq_blocking: bool('the guarded member is issued by an io-wq worker, blocking: its link reached it there (left open at the end of its submission, or after a member that ran there: IOSQE_ASYNC, an op with force_async) and it has no IOSQE_ASYNC of its own'),
  },
} as const satisfies Record<string, Record<string, Fact>>;

export type FactGroup = keyof typeof FACTS | 'kernel';

/** The op.* facts that come from an op's `supports` block. */
export const SUPPORTS_KEYS = ['ioprio', 'buffer_select', 'iopoll', 'needs_file'] as const satisfies readonly (keyof OpSpec['supports'])[];

/** The ring.* name of a setup flag: IORING_SETUP_SQPOLL -> sqpoll. */
export const setupFactName = (flag: string) => flag.replace('IORING_SETUP_', '').toLowerCase();

export interface Vocabulary {
  /** dotted names every expression may read, with their type and doc */
  facts: Map<string, Fact>;
  /** top-level names: errno, constants and CQE flag names of ring.yaml */
  constants: Map<string, number>;
  /** kernel.<feature> names each profile defines */
  features: Map<string, Set<string>>;
  /** names only some fields may read: res, in breaks_link and in an effect's bytes */
  resultNames: Set<string>;
}

/** The whole vocabulary for a loaded spec. */
export function vocabulary(spec: Spec): Vocabulary {
  const facts = new Map<string, Fact>();
  for (const [group, names] of Object.entries(FACTS)) {
    for (const [name, fact] of Object.entries(names)) facts.set(`${group}.${name}`, fact);
  }
  for (const slot of SQE_SLOTS) facts.set(`sqe.${slot}`, int(`the SQE's ${slot} field (a reference reads as a stand-in number)`));
  for (const key of SUPPORTS_KEYS) facts.set(`op.${key}`, bool(`the op's supports.${key}`));
  for (const f of spec.ring.setup_flags) facts.set(`ring.${setupFactName(f.name)}`, bool(`the ring was set up with ${f.name}`));
  const features = new Map(Object.values(spec.profiles).map((p) => [p.name, new Set(Object.keys(p.features))]));
  const constants = new Map([...Object.entries(spec.ring.errno), ...Object.entries(spec.ring.constants), ...spec.ring.cqe_flags.map((f) => [f.name, f.value] as const)]);
  return { facts, constants, features, resultNames: new Set(['res']) };
}
