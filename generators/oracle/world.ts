import type { BufferBytes, Case, FieldValue, Fixture, FixturesSpec, SqeSlot, StoredFds } from '../../spec/types.js';
import { boolParam, hasParam, intParam, kindOf, param } from '../../spec/fixtureParams.js';

/**
 * A byte stream of a fixture with two ends (model `stream`), by its key (streamsOf): its buffered bytes and
 * the open ends that read it (readers) and write it (writers). A pipe is one stream; a socketpair two.
 */
export interface PipeObject {
  avail: number; writers: number; readers: number;
  /** the buffered bytes in order, when the oracle knows them (undefined once something unknown went in) */
  data?: BufferBytes[];
  /** a request moved a number of bytes the spec does not fix (one of several results): avail is a guess from here on */
  unknown?: boolean;
}

/** An fd table entry: which fixture (and pipe end) an fd names, and whether it is still open. */
export interface FdEntry {
  fixture: string; end: 'r' | 'w' | undefined; open: boolean; cloexec: boolean;
  /** closed, and the task got a new fd since: the lowest free number is handed out, so this one may name that file now */
  recycled?: boolean;
  /** the O_ACCMODE bits of an fd a request opened (the open effect's acc); fixtures' fds have none */
  acc?: number;
}

/** One task's view: its fd table (by fixture key) and whether it runs in a CLONE's spawn context. */
export interface Task {
  fds: Map<string, FdEntry>; spawn: boolean; cwdIsTmp: boolean;
  /** fds FIXED_FD_INSTALL gave the task, for files of registered slots */
  installed: FdEntry[];
  /** its own credentials when they are not the submitter's (the CLONE's personality: spawn.clone.personality) */
  creds?: { uid: number; gid: number };
  /** fds its own requests installed (an outcome with an `open` effect) */
  opened: number;
  /** the fixtures whose path an `open` effect of its own requests named (the new fd may reuse a closed one's number) */
  reopened?: Set<string>;
}

/** A slot of the ring's registered file table: the file it holds, as the fd kind a lookup would see. */
export interface SlotEntry { fixture: string | undefined; end: 'r' | 'w' | undefined; kind: string }

/**
 * The ring's registered file table (direct descriptors): ring-wide, so every task issuing on the ring
 * sees the same slots. `hint` is the allocator's next slot (io_uring/filetable.h alloc_hint).
 */
export interface FileTable { slots: (SlotEntry | undefined)[]; hint: number }

export interface World {
  /** the fixture kinds of spec/fixtures.yaml: their model facts and param defaults */
  fx: FixturesSpec;
  fixtures: Record<string, Fixture>;
  /** the byte streams of the fixtures with two ends, by stream key (streamsOf) */
  pipes: Map<string, PipeObject>;
  /** regular-file fixtures by name: their size grows with writes past the end */
  /** regular file fixtures: size, file position, and contents while the model knows them */
  files: Map<string, FileModel>;
  /** literal paths (relative to the temp dir) that an OPENAT with O_CREAT created */
  created: Set<string>;
  submitter: Task;
  /** the registered file table, when a fixture registered one */
  table: FileTable | undefined;
  /** registered personalities by fixture name: the credentials an SQE naming one runs with */
  personalities: Map<string, { uid: number; gid: number }>;
  /** the submitter's own credentials (a case's `credentials`, else root) */
  creds: { uid: number; gid: number };
  /** what requests read into the case's buffers, when the bytes are known (spawn.task.shares-memory) */
  buffers: { user_data: number; slot: SqeSlot; bytes: BufferBytes[] }[];
  /** the fds or slot indices requests stored in the case's buffers (the store_fds effect) */
  stored: StoredFds[];
  /** the fd a request of the submitter opened (an `open` effect on a fixture's path), by user_data: its key in submitter.fds */
  results: Map<number, string>;
}

export const fdKey = (fixture: string, end?: 'r' | 'w') => (end ? `${fixture}.${end}` : fixture);

/** What the oracle models of a fixture's fd: a pipe (two ends), a file (a size), or a plain fd. */
export const fdKind = (world: World, name: string): string => kindOf(world.fx, world.fixtures[name]!).model.fd_kind;

/** Whether a fixture's fds are two ends of byte streams (model `stream`): simplex, duplex, or undefined. */
export const streamOf = (world: World, name: string): 'simplex' | 'duplex' | undefined => {
  const f = world.fixtures[name];
  return f ? kindOf(world.fx, f).model.stream : undefined;
};

/** The key of the stream that the fd end of a duplex fixture writes and its fd.w end reads. */
const peerStream = (name: string) => `${name}~peer`;

/**
 * The streams an end of a fixture reads and writes, by key: simplex (a pipe), fd reads what fd.w writes (the
 * fixture's name); duplex (a socketpair), the same, and fd.w reads what fd writes (name~peer).
 */
export function streamsOf(world: World, name: string, end: 'r' | 'w' | undefined): { reads?: string; writes?: string } {
  const stream = streamOf(world, name);
  if (!stream) return {};
  const w = end === 'w';
  if (stream === 'simplex') return w ? { writes: name } : { reads: name };
  return w ? { reads: peerStream(name), writes: name } : { reads: name, writes: peerStream(name) };
}

/** The fd.kind of an end: a simplex fixture's ends differ (pipe-r, pipe-w), a duplex one's are alike (socket). */
export const endKind = (world: World, name: string, end: 'r' | 'w' | undefined): string =>
  streamOf(world, name) === 'simplex' ? `${fdKind(world, name)}-${end === 'w' ? 'w' : 'r'}` : fdKind(world, name);

/** The stream facts of an end: the bytes it can read and the writers of that stream, the readers of what it writes. */
export function streamFacts(world: World, name: string, end: 'r' | 'w' | undefined): { avail: number; writers: number; readers: number } {
  const s = streamsOf(world, name, end);
  const rs = s.reads !== undefined ? world.pipes.get(s.reads) : undefined;
  const ws = s.writes !== undefined ? world.pipes.get(s.writes) : undefined;
  const from = rs ?? ws;
  return { avail: from?.avail ?? 0, writers: from?.writers ?? 0, readers: (ws ?? rs)?.readers ?? 0 };
}

export function initWorld(c: Case, fx: FixturesSpec): World {
  const fixtures = c.fixtures ?? {};
  const pipes = new Map<string, PipeObject>();
  const files = new Map<string, FileModel>();
  const fds = new Map<string, FdEntry>();
  for (const [name, f] of Object.entries(fixtures)) {
    const model = kindOf(fx, f).model;
    const cloexec = model.fd_cloexec === true || (hasParam(fx, f, 'cloexec') && boolParam(fx, f, 'cloexec'));
    if (model.stream) {
      // the fd end reads `bytes` bytes its fd.w end wrote; with w_closed the fd.w end is closed
      const writerClosed = model.w_closed !== undefined && boolParam(fx, f, model.w_closed);
      const bytes = intParam(fx, f, 'bytes');
      pipes.set(name, { avail: bytes, writers: writerClosed ? 0 : 1, readers: 1, data: bytes ? [{ pattern: 0, len: bytes }] : [] });
      if (model.stream === 'duplex') pipes.set(peerStream(name), { avail: 0, writers: 1, readers: writerClosed ? 0 : 1, data: [] });
      fds.set(fdKey(name, 'r'), { fixture: name, end: 'r', open: true, cloexec });
      if (!writerClosed) fds.set(fdKey(name, 'w'), { fixture: name, end: 'w', open: true, cloexec });
    } else if (model.opens_fd) {
      if (model.fd_kind === 'file') {
        // t_fixture_file writes the pattern from offset 0
        const size = intParam(fx, f, 'size');
        files.set(name, { size, data: size > 0 ? [{ pattern: 0, len: size }] : [] });
      }
      fds.set(name, { fixture: name, end: undefined, open: true, cloexec });
    }
  }
  const world: World = {
    // a copy: an op that makes an object (PIPE's pipe) adds it as a fixture of its own
    fx, fixtures: { ...fixtures }, pipes, files, created: new Set(), submitter: { fds, spawn: false, cwdIsTmp: true, installed: [], opened: 0 }, table: undefined,
    personalities: new Map(), creds: { uid: c.credentials?.uid ?? 0, gid: c.credentials?.gid ?? 0 }, buffers: [], stored: [], results: new Map(),
  };
  for (const [name, f] of Object.entries(fixtures)) {
    const k = kindOf(fx, f);
    if (k.model.personality) world.personalities.set(name, { uid: intParam(fx, f, 'uid'), gid: intParam(fx, f, 'gid') });
    if (!k.model.registers_files) continue;
    // each `fixture` param fills the slot of its position among them; the slot holds its own reference
    const refs = Object.entries(k.params).filter(([, p]) => p.type === 'fixture').map(([n]) => String(param(fx, f, n)));
    const slots: (SlotEntry | undefined)[] = Array.from({ length: intParam(fx, f, 'nr') }, (_, i) => slotOf(world, fds, refs[i] ?? ''));
    // the allocator's hint: io_sqe_files_register() ends with io_file_table_set_alloc_range(ctx, 0, nr), hint 0;
    // each slot a files update then fills moves it past that slot (io_file_bitmap_set(): alloc_hint = bit + 1)
    const last = boolParam(fx, f, 'sparse') ? slots.map((e, i) => (e ? i : -1)).reduce((a, b) => Math.max(a, b), -1) : -1;
    world.table = { slots, hint: last + 1 };
  }
  return world;
}

/**
 * A new open file description of a fixture's file, for the fd a request opened (openat.issue.success and the like):
 * a fixture of its own, `<fixture>#<user_data>`, of the same kind and params, with an fd of the task; a regular file's
 * size is the named fixture's (one inode: a write through either fd extends both), its position its own, from 0.
 */
/** Whether an fd table key is an fd a request opened (openedFixture's `<fixture>#<user_data>`), not a fixture's. */
export const isOpenedKey = (key: string): boolean => key.includes('#');

export function openedFixture(world: World, task: Task, name: string, ud: number, acc: number): string | undefined {
  const f = world.fixtures[name];
  if (!f || streamOf(world, name) || !kindOf(world.fx, f).model.opens_fd) return undefined;
  const key = `${name}#${ud}`;
  world.fixtures[key] = { ...f };
  const inode = world.files.get(name);
  if (inode) {
    // one inode: its size, bytes and whether they are known are the named fixture's; the position is this open's
    const desc = { pos: 0 } as FileModel;
    for (const k of ['size', 'data', 'unknown'] as const) {
      Object.defineProperty(desc, k, { get: () => inode[k], set: (v: never) => { inode[k] = v; }, enumerable: true });
    }
    world.files.set(key, desc);
  }
  task.fds.set(key, { fixture: key, end: undefined, open: true, cloexec: false, acc });
  return key;
}

/** The registered slot an IOSQE_FIXED_FILE request's numeric fd names, as an fd entry for its fixture's file (undefined: empty, or no fixture's). */
export function slotEntry(world: World, slot: unknown): FdEntry | undefined {
  const e = typeof slot === 'number' ? world.table?.slots[slot] : undefined;
  return e?.fixture ? { fixture: e.fixture, end: e.end, open: true, cloexec: false } : undefined;
}

/** The slot entry a `fixture` param names ("p0", "p0.w"), taking a reference on a pipe end. */
function slotOf(world: World, fds: Map<string, FdEntry>, ref: string): SlotEntry | undefined {
  if (ref === '') return undefined;
  const [name, w] = ref.endsWith('.w') ? [ref.slice(0, -2), true] : [ref, false];
  if (!streamOf(world, name)) return { fixture: name, end: undefined, kind: fdKind(world, name) };
  const end = w ? 'w' : 'r';
  const e = fds.get(fdKey(name, end));
  if (e) adjustEnd(world, e, +1);
  return { fixture: name, end, kind: endKind(world, name, end) };
}

/** The task a CLONE creates: a copy of the submitter's fd table; stream ends it holds count as extra references. */
export function forkTask(world: World, parent: Task, personality?: FieldValue): Task {
  const fds = new Map<string, FdEntry>();
  for (const [k, e] of parent.fds) {
    fds.set(k, { ...e });
    if (e.open && e.end) adjustEnd(world, e, +1);
  }
  const installed = parent.installed.map((e) => ({ ...e }));
  for (const e of installed) if (e.open && e.end) adjustEnd(world, e, +1);
  // spawn.clone.personality: copy_process() copies the credentials CLONE was issued under
  const p = personality !== undefined && typeof personality === 'object' && 'fd' in personality ? world.personalities.get(personality.fd) : undefined;
  const creds = p ?? parent.creds;
  return { fds, spawn: true, cwdIsTmp: parent.cwdIsTmp, installed, opened: 0, ...(creds ? { creds } : {}) };
}

/** An end opened or closed: the stream it reads has one reader more or less, the stream it writes one writer. */
export function adjustEnd(world: World, e: FdEntry, delta: number): void {
  if (!e.end) return;
  const s = streamsOf(world, e.fixture, e.end);
  const rs = s.reads !== undefined ? world.pipes.get(s.reads) : undefined;
  const ws = s.writes !== undefined ? world.pipes.get(s.writes) : undefined;
  if (rs) rs.readers += delta;
  if (ws) ws.writers += delta;
}

/** Closes every fd of a task that ends (killed) or of the fds O_CLOEXEC drops at exec. */
export function dropTask(world: World, task: Task, onlyCloexec = false): void {
  for (const e of [...task.fds.values(), ...task.installed]) {
    if (!e.open || (onlyCloexec && !e.cloexec)) continue;
    if (onlyCloexec) e.open = false; // the task lives on as the exec'd program without them
    adjustEnd(world, e, -1);
  }
}

/** Takes n bytes off the front of a pipe's known data: the bytes a read got, or undefined when they are not known. */
/** A regular file fixture: size and file position, its contents while known, and whether even its size is unknown. */
export interface FileModel {
  size: number;
  pos?: number;
  data?: BufferBytes[];
  unknown?: boolean;
}

export function takeBytes(p: PipeObject, n: number): BufferBytes[] | undefined {
  if (!p.data) return undefined;
  const out: BufferBytes[] = [];
  let left = n;
  while (left > 0 && p.data.length) {
    const head = p.data[0]!;
    const k = Math.min(left, head.len);
    out.push('zero' in head ? { zero: true, len: k } : { pattern: head.pattern, len: k });
    if (k === head.len) p.data.shift();
    else p.data[0] = 'zero' in head ? { zero: true, len: head.len - k } : { pattern: head.pattern + k, len: head.len - k };
    left -= k;
  }
  if (left > 0) {
    p.data = undefined; // the model's count and its bytes disagree: know nothing from here on
    return undefined;
  }
  return out;
}
