/**
 * The shared nouns of uringspec. Every stage imports from here; nothing here imports a stage.
 *
 * - sqe: one submission queue entry of a case, with every field either a number or a symbolic
 *   reference to a fixture (an fd, a buffer, a path, a timespec, an argv).
 * - chain: the SQEs joined by IOSQE_IO_LINK / IOSQE_IO_HARDLINK; a link ends at the first member
 *   without a link flag, or at the end of a submission batch.
 * - cqe: one completion, matched to its SQE by user_data (1..n, the SQE's position).
 * - rule: one statement of expected behaviour, with an id (`<op-or-topic>.<phase>.<name>`) and its source.
 * - profile: a kernel tree: opcode numbers, supported setup flags, and known divergences.
 */

/** A rule of the spec: the unit that docs cite and cases claim to check. */
export interface Rule {
  id: string;
  statement: string;
  /** kernel file and function, a liburing test, or a message of the seed thread */
  source: string;
}

export type FieldRole = 'input' | 'must-be-zero' | 'ignored';

/** One SQE field of an op. `slot` is the uapi member that holds it. */
export interface FieldSpec {
  slot: SqeSlot;
  role: FieldRole;
  /** what a generator may put there; refs name fixture kinds */
  values?: FieldValueGen[];
  /** an alias shown in docs, e.g. execve_flags for rw_flags */
  alias?: string;
  doc?: string;
}

export type SqeSlot =
  | 'fd' | 'ioprio' | 'off' | 'addr' | 'len' | 'rw_flags' | 'buf_index'
  | 'personality' | 'file_index' | 'addr3' | 'addr2';

export const SQE_SLOTS: readonly SqeSlot[] = [
  'fd', 'ioprio', 'off', 'addr', 'len', 'rw_flags', 'buf_index', 'personality', 'file_index', 'addr3', 'addr2',
];

/** Width in bits of each slot in struct io_uring_sqe. */
export const SQE_SLOT_BITS: Record<SqeSlot, number> = {
  fd: 32, ioprio: 16, off: 64, addr: 64, len: 32, rw_flags: 32, buf_index: 16,
  personality: 16, file_index: 32, addr3: 64, addr2: 64,
};

/** How a generator fills a field: a literal, a range, or a reference to a fixture. */
export type FieldValueGen =
  | { const: number }
  | { range: [number, number] }
  | { ref: RefKind };

export type RefKind =
  | 'fd' | 'readable-fd' | 'writable-fd' | 'buf' | 'iovec' | 'path' | 'timespec' | 'argv' | 'envp' | 'exec-path' | 'dirfd' | 'socket-fd' | 'ring-fd';

/** A prep check, in kernel order; the first one that matches decides the SQE's prep result. */
export interface PrepRule extends Rule {
  /** filtrex expression over the evaluation context (see oracle/context.ts) */
  when: string | boolean;
  res: string | number;
  /** the field this check is about, for the generator's invalid values and for error messages */
  field?: SqeSlot | 'flags';
  /** values of `field` that trip the check, for generators */
  invalid?: number[];
}

/** An issue outcome, tried in order; the first whose `when` holds is the result. */
export interface OutcomeRule extends Rule {
  when: string | boolean;
  /** expression for res; "pending" (no CQE while the chain waits); ">= N" (any value from N) */
  res: string | number;
  /** alternatives for racy outcomes: res may be any of these */
  one_of?: (string | number)[];
  /** whether the request fails (REQ_F_FAIL), breaking its link: each op's failure path decides, never res < 0 */
  breaks_link: string | boolean;
  /** the CQE's flags (IORING_CQE_F_*), an expression that may read res; 0 when absent */
  cqe_flags?: string | number;
  effects?: Effect[];
  /** for LINK_TIMEOUT: what becomes of the request it guards */
  prev?: { res: string | number; one_of?: (string | number)[] };
  /** the request may go to io-wq even without IOSQE_ASYNC (a buffered file read that would block) */
  punts?: boolean;
  /** the op's ->issue() returns this error instead of completing the request (it matters where nothing can punt it) */
  issue_error?: boolean;
  /** a CQE posted later (TIMEOUT, LINK_TIMEOUT): no order is promised against its neighbours */
  deferred?: boolean;
  /** completed through task work of the submitting task (io_rw_done() -> io_complete_rw()), not by the issuer's completion flush */
  task_work?: boolean;
  /** a pending outcome that waits on a wait queue entry it armed: ->issue() returns at once, even issued blocking by io-wq */
  waits_armed?: boolean;
}

export type Effect =
  | { consume: string; bytes: string | number }
  | { produce: string; bytes: string | number }
  | { extend: string; bytes: string | number }
  /** the request may have changed the regular file in a way the spec does not determine (its size and bytes are unknown after it) */
  | { may_change: string }
  /** the regular file's bytes from `at` go into the request's buffer (a read: they are checked there afterwards) */
  | { copy_out: string; at: string | number; bytes: string | number }
  /** the request's buffer goes into the regular file at `at` (a write: a later read of those bytes gets them) */
  | { copy_in: string; at: string | number; bytes: string | number }
  /** sets the file position (f_pos) of the fd's open file to bytes */
  | { seek: string; bytes: string | number }
  | { close: string }
  | { create: string }
  /** empties the regular file the path field names (O_TRUNC) */
  | { truncate: string }
  /** the file the path field names goes into the registered slot `at` (0-based), replacing what it held */
  | { slot_open: string; at: string | number }
  /** the registered slot `at` is emptied */
  | { slot_clear: string; at: string | number }
  /** the issuing task gets a new fd for the file in the slot its fd field names; `cloexec` (0 or 1) */
  | { install: string; cloexec: string | number }
  /** a new fd of the issuing task for the file the path field names; acc: the O_ACCMODE bits it is open with (for { result_of }) */
  | { open: string; acc?: string | number }
  /**
   * a new file of two ends (`file: pipe`: read end first): they become new fds of the issuing task (`fl`: each one's
   * F_GETFL access and status bits; `cloexec`: 0 or 1), or, with `slots`, go into those registered slots (0-based,
   * replacing what they held); the two fds, or the slot indices, are stored as int[2] in the named field's buffer
   */
  | { store_fds: string; file: 'pipe'; fl?: [string | number, string | number]; cloexec?: string | number; slots?: [string | number, string | number] }
  | { chdir: string }
  /**
   * a CQE posted on the ring the named fd field names (the case's own ring: a CQE with a user_data no SQE need have),
   * with this user_data, res and flags, when the request does not fail; direct: posted before the request's own CQE
   * (at issue, not from task work), so that order is promised
   */
  | { post_cqe: string; user_data: string | number; res: string | number; flags?: string | number; direct?: string | number | boolean }
  /** completes the waiting request whose user_data the field holds with res (REQ_F_FAIL: its link fails); nothing when none waits */
  | { cancel: string; res: string | number }
  | { exec: string };

export interface OpSpec {
  name: string;           // IORING_OP_READ
  short: string;          // READ
  summary: string;
  fields: Partial<Record<SqeSlot, FieldSpec>>;
  prep: PrepRule[];
  issue: OutcomeRule[];
  supports: { ioprio: boolean; buffer_select: boolean; iopoll: boolean; needs_file: boolean };
  /** expression: the request is multishot (posts several CQEs) */
  multishot?: boolean | string;
  /** ops that are generatable on a host (no spawn context needed) */
  host_safe?: boolean;
  /** ops whose issue needs the spawn context of a CLONE (EXEC) */
  spawn_only?: boolean;
  /** the op may run in a spawn chain, between the op that spawns and the spawn_only ops that end it */
  spawn_member?: boolean;
  /** prep sets REQ_F_FORCE_ASYNC: the op is always issued from io-wq, and so is what its link issues after it there */
  force_async?: boolean;
  /** the op is only ever valid as the last member after another op (LINK_TIMEOUT) */
  links_to_previous?: boolean;
  /** this op heads a spawn chain: the rest of its link runs in a new task */
  spawns?: boolean;
  /** false for an opcode that exists to be refused: runtimes must not skip a case because the probe lacks it */
  probe?: boolean;
  /** how a reproducer writes the op as liburing's tests do */
  liburing?: LiburingSpec;
}

/** A C parameter type of a liburing prep helper: how a slot's value is passed to it. */
export type PrepArgType = 'int' | 'unsigned' | '__u64' | 'ptr';

/**
 * prep: the io_uring_prep_* helper of liburing (2.3) that sets this op's SQE: its arguments are the
 * slots of args (in order), it sets the slots of sets to those values and every other slot to 0.
 * names: per slot, the spec/ring.yaml constants (NAME or PREFIX*) its value is written with.
 */
export interface LiburingSpec {
  prep?: { fn: string; args: Partial<Record<SqeSlot, PrepArgType>>[]; sets?: Partial<Record<SqeSlot, number>> };
  names?: Partial<Record<SqeSlot, string[]>>;
}

/** A rule of the init, chain or spawn topic. Init rules carry `when`/`res` like prep rules. */
export interface TopicRule extends Rule {
  key?: string;
  value?: string | number | boolean;
  when?: string | boolean;
  res?: string | number;
}

export interface ProfileSpec {
  name: string;
  description: string;
  kernel: string;
  /** opcode numbers by short op name; an op missing here is absent from the tree */
  opcodes: Record<string, number>;
  setup_flags: string[];
  /** tree facts that rules read as kernel.<name> */
  features: Record<string, number | boolean>;
  /** rule ids whose outcome differs on this tree, with what the tree does instead */
  divergences?: Divergence[];
  /** where the profile can run: the host, or a VM booting the reference kernel */
  target: 'host' | 'qemu';
  detect?: { probe_last_op?: number; spawn_probe?: boolean };
}

export interface Divergence {
  id: string;
  rule: string;
  statement: string;
  source: string;
  /** why a case that meets this divergence gets a verdict that depends on timing on this tree (a race the tree loses or wins) */
  racy?: string;
  /** replacement fields for the rule on this profile */
  override: Partial<Pick<OutcomeRule, 'when' | 'res' | 'one_of' | 'breaks_link'>> & { disabled?: boolean; value?: string | number | boolean };
}

export interface SetupFlagSpec {
  name: string;
  value: number;
  /** every one of these must be set too */
  requires?: string[];
  /** at least one of these must be set too */
  requires_one_of?: string[];
  /** none of these may be set (a conflict holds both ways) */
  conflicts?: string[];
  /** where io_uring_setup() refuses a ring that breaks these constraints */
  source?: string;
  /** the rule a ring breaking them checks: io_uring_setup() fails with res */
  rule?: { id: string; statement: string; res: string | number };
  doc: string;
}

export interface RingSpec {
  entries: { min: number; max: number };
  setup_flags: SetupFlagSpec[];
  sqe_flags: { name: string; value: number; doc: string }[];
  cqe_flags: { name: string; value: number; doc: string }[];
  errno: Record<string, number>;
  constants: Record<string, number>;
}

export interface Spec {
  ring: RingSpec;
  ops: Record<string, OpSpec>;
  init: TopicRule[];
  chain: TopicRule[];
  spawn: TopicRule[];
  profiles: Record<string, ProfileSpec>;
  fixtures: FixturesSpec;
  /** every rule by id, for linting cases and for docs */
  rules: Map<string, Rule & { kind: string; op?: string }>;
}

/** A field reference a fixture kind answers: its fd (a pipe's read end), a pipe's write end, its path. */
export type FixtureRef = 'fd' | 'fd.w' | 'path';

export interface FixtureParamSpec {
  /** fixture: the name of an earlier fixture of the case ("p0", "p0.w" for a pipe's write end), "" for none */
  type: 'int' | 'bool' | 'enum' | 'fixture';
  range?: [number, number];
  values?: string[];
  default: number | boolean | string;
  doc: string;
}

/** One argument of a kind's runtime function after (fixture, name): a param, mapped or not, or the fixture's position. */
export type FixtureArg = { param: string; map?: Record<string, number> } | { index: true };

/** A fixture kind of spec/fixtures.yaml. */
export interface FixtureKindSpec {
  doc: string;
  params: Record<string, FixtureParamSpec>;
  refs: FixtureRef[];
  runtime: { fn: string; args: FixtureArg[] };
  /** fs: files in the temp dir; helper: copies of the exec helper */
  touches: ('fs' | 'helper')[];
  model: {
    opens_fd: boolean; path_type: 'reg' | 'dir' | 'missing' | 'notdir' | 'none'; fd_kind: string; runs_helper?: boolean; argv_rewritten?: boolean;
    /** it registers the ring's file table: `nr` slots, each `fixture` param filling one (files.* facts) */
    registers_files?: boolean;
    /** it registers a personality with `uid`/`gid`; an SQE's personality field names it (cred.* facts) */
    personality?: boolean;
    /** its fd and fd.w ends carry bytes: simplex (fd.w's bytes are read at fd), duplex (each end's are read at the other) */
    stream?: 'simplex' | 'duplex';
    /** the bool param that closes the fd.w end before the chain */
    w_closed?: string;
    /** its fd is always O_CLOEXEC, whatever the params (the ring fd io_uring_setup() installs) */
    fd_cloexec?: boolean;
    /** another ring: the int param giving the slots of its registered file table (fd.ring_files) */
    ring_files?: string;
  };
}

/** How a generator fills a fixture param: a literal or a range. */
export type FixtureValueGen = ({ const: number | boolean | string } | { range: [number, number] }) & { weight?: number };

export interface FixtureInstanceSpec { kind: string; params?: Record<string, FixtureValueGen[]> }

export interface FixturesSpec {
  kinds: Record<string, FixtureKindSpec>;
  generate: {
    fixtures: Record<string, FixtureInstanceSpec>;
    exec_fixtures: Record<string, FixtureInstanceSpec>;
    refs: Record<string, FieldValue[]>;
    exec_refs: Record<string, FieldValue[]>;
    /** whether a generated case keeps the fixtures none of its SQEs refers to (default: always) */
    keep_unreferenced?: ({ const: boolean } & { weight?: number })[];
  };
}

// ---------------------------------------------------------------------------------------------
// Cases

/**
 * A fixture a case creates in its own temp dir before submitting: a kind of spec/fixtures.yaml and
 * the params that kind takes (the case loader checks both against it).
 */
export interface Fixture {
  kind: string;
  [param: string]: string | number | boolean;
}

/** A field value in a case: a number or a reference that the renderer resolves at run time. */
export type FieldValue =
  | number
  | { fd: string; end?: 'r' | 'w' }
  | { buf: number }
  /** an array of struct iovec, one buffer of each size (READV, WRITEV) */
  | { iov: number[] }
  | { path: string }
  | { str: string }
  | { timespec: { sec: number; nsec: number } }
  | { argv: string[] }
  | { envp: string[] }
  /**
   * the res of the CQE of an earlier batch's request (by its user_data), filled in when this SQE's batch is: the fd an
   * OPENAT returned; a negative res (the request failed) is the value itself
   */
  | { result_of: number };

export interface CaseSqe {
  /** the op's short name; `#<n>` for a raw opcode n (`op: { raw: n }` in the file, spec/case/rawOp.ts) */
  op: string;
  flags?: string[];
  /** the SQE's user_data when the case chooses one (unique in the case); else its position, 1 for the first */
  user_data?: number;
  fields?: Partial<Record<SqeSlot, FieldValue>>;
}

export interface RingSetup {
  entries: number;
  /** the CQ ring's size (IORING_SETUP_CQSIZE with cq_entries); default twice the SQ ring's */
  cq_entries?: number;
  flags?: string[];
}

/** What the oracle expects of one CQE. */
export type ResExpect =
  | { eq: number }
  | { one_of: number[] }
  | { min: number }
  | { pending: true }
  | { absent: true };

export interface CqeExpect {
  user_data: number;
  res: ResExpect;
  flags?: number;
  /** a CQE no SQE of its user_data asked for: the user_data of the request that posted it (a MSG_RING's message to its own ring) */
  posted_by?: number;
  /** the rule ids that decided this result */
  because: string[];
}

/** a before b, by user_data: only where the kernel guarantees it */
export type OrderConstraint = [number, number];

export interface SpawnExpect {
  /** how many tasks the chain spawns, and how each must end */
  tasks: { head: number; outcome: 'exec' | 'killed' | 'none'; exit?: number; report?: HelperReport; reap?: TaskReap }[];
}

/** How an ended task is reaped: `plain` when waitpid() without __WALL finds it (exit_signal SIGCHLD), `wall` when only __WALL does; and whether it sends the submitter SIGCHLD. */
export interface TaskReap { how: 'plain' | 'wall'; sigchld: boolean }

/** The submitter's own state after the chain (checked in cases that spawn). */
export interface SubmitterExpect {
  /** fixture fds ("p0.w", "f0") the submitter closed itself; every other fd it had before the chain must still name the same file */
  fds_closed: string[];
  /** how many new fds its own requests may open: [min, max] */
  fds_opened: [number, number];
  /** its cwd, root and umask are the ones it had before the chain */
  fs_kept: boolean;
  /** bytes requests put in its memory: the buffer of user_data's slot starts with these, the rest stays zero */
  buffers: { user_data: number; slot: SqeSlot; bytes: BufferBytes[] }[];
  /** no child or zombie is left once the expected tasks are reaped */
  no_stray_children: boolean;
  /** then one more request of this op (every field zero) on the ring completes with res (spawn.ring.usable-after) */
  ring_after?: { op: string; user_data: number; res: number };
}

/** A run of bytes: `len` bytes of the fixture pattern ('a' + k % 26) from k = `pattern`, or `len` zero bytes. */
export type BufferBytes = { pattern: number; len: number } | { zero: true; len: number };

/** What the exec helper reports back about itself. */
export interface HelperReport {
  argv?: string[];
  envp?: string[];
  cwd?: string;
  /** fixture fds ("p0.r", "f0") the exec'd program must find open */
  fds_open?: string[];
  /** fixture fds the exec'd program must find closed */
  fds_closed?: string[];
  /** the ring fd must be closed in it (io_uring_setup() installs it O_CLOEXEC) */
  ring_fd_closed?: boolean;
  /** task flag bits (field 9 of /proc/self/stat) it must not have, and ones it must have */
  flags_clear?: number;
  flags_set?: number;
  /** field 38 of /proc/self/stat */
  exit_signal?: number;
  /** getppid() is the submitter's pid */
  parent_is_submitter?: boolean;
  /** its umask and ignored signals (SigIgn) are the submitter's at submission */
  umask_of_submitter?: boolean;
  sigign_of_submitter?: boolean;
  /** its blocked signals (SigBlk): the submitter's, or every signal but these numbers */
  sigblk?: { of_submitter: true } | { all_but: number[] };
  /** fixture fds ("p0.w") whose file it must also hold under an fd of its own: what FIXED_FD_INSTALL gave the task without O_CLOEXEC */
  fds_installed?: string[];
  /** its getuid() and getgid(): the task's credentials (spawn.clone.personality, spawn.exec.personality-ignored) */
  uid?: number;
  gid?: number;
}

/**
 * The ints a request stored in a buffer of the case (the store_fds effect): each a new fd of the program (open, these
 * F_GETFL bits of O_ACCMODE | O_NONBLOCK | O_DIRECT, FD_CLOEXEC or not) or exactly `eq` (a registered slot index).
 */
export interface StoredFds {
  user_data: number;
  slot: SqeSlot;
  ints: ({ fl: number; cloexec: boolean } | { eq: number })[];
  /** the fds name one file (st_dev, st_ino), a FIFO: the two ends of one pipe */
  one_pipe: boolean;
}

/** A file fixture after the chain: its size, and its bytes from offset 0 while the spec knows them. */
export interface FileAfter {
  fixture: string;
  size: number;
  bytes?: BufferBytes[];
}

/** A stream fixture's end after the chain: the bytes it can read (FIONREAD). */
export interface StreamAfter {
  fixture: string;
  end: 'r' | 'w';
  avail: number;
}

export interface Expectation {
  /** io_uring_setup() refuses the ring: it fails with res, and nothing else happens (no SQE, no CQE) */
  setup?: { res: number; because: string[] };
  submitted: number[];
  cqes: CqeExpect[];
  order: OrderConstraint[];
  /** fds requests stored in the case's memory, checked once the CQEs are in */
  fds_stored?: StoredFds[];
  /** the file fixtures after the chain (chain.state.effects-in-place), read through their paths */
  files?: FileAfter[];
  /** the bytes each open end of a pipe or socketpair fixture can read after the chain */
  streams?: StreamAfter[];
  spawn?: SpawnExpect;
  /** the submitter's fd table, fs, memory and children after the chain */
  submitter?: SubmitterExpect;
  /** before submitting batch k+1, wait for the CQEs of these user_data (what batches 1..k complete by then) */
  settle?: number[][];
}

export interface Provenance {
  kind: 'hand-written' | 'generated' | 'found';
  seed?: number;
  path?: string;
  generated?: boolean;
  note?: string;
}

export interface Case {
  description: string;
  rules: string[];
  requires?: { profiles?: string[]; ops?: string[]; root?: boolean };
  flags?: ('vm-only' | 'slow' | 'destructive')[];
  xfail?: Record<string, { reason: string; source: string }>;
  provenance: Provenance;
  ring: RingSetup;
  fixtures?: Record<string, Fixture>;
  sqes: CaseSqe[];
  /** SQE counts per io_uring_enter; default one batch with every SQE */
  batches?: number[];
  /**
   * per io_uring_enter, its to_submit: it consumes at most that many of the SQEs waiting in the SQ ring (those of its
   * batch and any an earlier enter left); default every waiting SQE, as io_uring_submit()
   */
  to_submit?: number[];
  /** false: submit the next batch at once, without waiting for what earlier batches complete */
  settle?: boolean;
  /** submit as this user (after the fixtures are made), under this RLIMIT_NPROC */
  credentials?: { uid: number; gid: number; nproc?: number };
  expect?: Expectation;
}
