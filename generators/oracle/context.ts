import type { CaseSqe, FieldValue, OpSpec, ProfileSpec, RingSpec, SqeSlot } from '../../spec/types.js';
import { SQE_SLOTS } from '../../spec/types.js';
import { endKind, fdKey, fdKind, streamFacts, streamOf, type Task, type World } from './world.js';
import { boolParam, hasParam, kindOf, param } from '../../spec/fixtureParams.js';
import { setupFactName, SUPPORTS_KEYS } from './vocabulary.js';

/** Facts about where an SQE sits in the link being assembled or run. */
export interface LinkFacts { in_link: boolean; has_next: boolean; prev_op: string }

/** What the member guarded by a LINK_TIMEOUT did. */
export interface PrevFacts { pending: boolean; waits_armed: boolean; deferred: boolean; deferred_ms: number; res: number; may_punt: boolean; iowq_blocking?: boolean }

export interface RingFacts { flags: string[]; drain_disabled: boolean }

/** Numeric stand-ins for references: what prep rules see of a pointer or an fd the runtime fills in. */
function slotNumber(v: FieldValue | undefined): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  if ('fd' in v) return 3;
  return 1;
}

function fdFacts(world: World, task: Task, v: FieldValue | undefined, atFdcwd: number | undefined) {
  const none = { kind: 'closed', avail: 0, writers: 0, readers: 0, size: 0, pos: 0, self: false, open: false, acc: -1, ring_files: 0 };
  if (v === undefined || typeof v === 'number') return v !== undefined && v === atFdcwd ? { ...none, kind: 'cwd', open: true } : none;
  if (!('fd' in v)) return none;
  const f = world.fixtures[v.fd];
  if (!f) throw new Error(`fd refers to unknown fixture "${v.fd}"`);
  const kind = fdKind(world, v.fd);
  const ends = streamOf(world, v.fd) !== undefined;
  const key = ends ? fdKey(v.fd, v.end ?? 'r') : v.fd;
  const entry = task.fds.get(key);
  if (!entry?.open) return none;
  if (ends) return { ...none, kind: endKind(world, v.fd, v.end), ...streamFacts(world, v.fd, v.end), open: true };
  const acc = entry.acc ?? -1;
  if (kind === 'file') return { ...none, kind: 'file', size: world.files.get(v.fd)?.size ?? 0, pos: world.files.get(v.fd)?.pos ?? 0, open: true, acc };
  if (kind === 'dir') return { ...none, kind: 'dir', self: hasParam(world.fx, f, 'self') && boolParam(world.fx, f, 'self'), open: true, acc };
  const ringFiles = kindOf(world.fx, f).model.ring_files;
  return { ...none, kind, open: true, acc, ...(ringFiles ? { ring_files: Number(param(world.fx, f, ringFiles)) } : {}) };
}

/** What an SQE's fd names with IOSQE_FIXED_FILE: the registered slot of that index (closed when empty or absent). */
function slotFdFacts(world: World, index: number) {
  const none = { kind: 'closed', avail: 0, writers: 0, readers: 0, size: 0, pos: 0, self: false, open: false, acc: -1, ring_files: 0 };
  const e = world.table?.slots[index];
  if (!e) return none;
  if (e.end && e.fixture) return { ...none, kind: e.kind, ...streamFacts(world, e.fixture, e.end), open: true };
  const f = e.fixture ? world.fixtures[e.fixture] : undefined;
  const file = e.fixture ? world.files.get(e.fixture) : undefined;
  if (e.kind === 'file') return { ...none, kind: 'file', size: file?.size ?? 0, pos: file?.pos ?? 0, open: true };
  if (e.kind === 'dir') return { ...none, kind: 'dir', self: f !== undefined && hasParam(world.fx, f, 'self') && boolParam(world.fx, f, 'self'), open: true };
  return { ...none, kind: e.kind, open: true };
}

/** The allocator's pick for IORING_FILE_INDEX_ALLOC: the first free slot from the hint, wrapping once; -1 when full. */
function allocSlot(world: World, hint = world.table?.hint ?? 0, taken = -1): number {
  const t = world.table;
  if (!t) return -1;
  const from = hint < t.slots.length ? hint : 0;
  for (let i = from; i < t.slots.length; i++) if (!t.slots[i] && i !== taken) return i;
  for (let i = 0; i < from; i++) if (!t.slots[i] && i !== taken) return i;
  return -1;
}

function filesFacts(world: World, fileIndex: FieldValue | undefined, addr3?: FieldValue) {
  const slot = typeof fileIndex === 'number' ? fileIndex - 1 : -1;
  const nr = world.table?.slots.length ?? 0;
  const alloc = allocSlot(world);
  // io_file_bitmap_set() of the first pick moves the hint to alloc + 1 before the second
  const alloc2 = alloc < 0 ? -1 : allocSlot(world, alloc + 1, alloc);
  const free = world.table?.slots.filter((e) => !e).length ?? 0;
  // the source slot of a MSG_RING IORING_MSG_SEND_FD: msg->src_fd, the low 32 bits of addr3
  const src = typeof addr3 === 'number' ? Number(BigInt.asUintN(32, BigInt(addr3))) : -1;
  const srcUsed = src >= 0 && src < nr && world.table?.slots[src] !== undefined;
  return { registered: world.table !== undefined, nr, alloc, slot_used: slot >= 0 && slot < nr && world.table?.slots[slot] !== undefined, free, alloc2, src_used: srcUsed };
}

function credFacts(world: World, task: Task, v: FieldValue | undefined) {
  const name = v !== undefined && typeof v === 'object' && 'fd' in v ? v.fd : undefined;
  const p = name !== undefined ? world.personalities.get(name) : undefined;
  const c = p ?? task.creds ?? world.creds;
  return { personality: p !== undefined, uid: c.uid, gid: c.gid };
}

function pathFacts(world: World, v: FieldValue | undefined) {
  const base = { kind: 'null', type: 'none', empty: false, relative: false, interpreter: '', length: 0, longest_component: 0, trailing_slash: false, mode: -1 };
  if (v === undefined || typeof v === 'number') return v ? { ...base, kind: 'bad-address' } : base;
  if ('str' in v) {
    // what getname() and the lookup measure: the name in bytes, its longest component, a trailing slash
    const named = { ...base, length: Buffer.byteLength(v.str), longest_component: Math.max(0, ...v.str.split('/').map((c) => Buffer.byteLength(c))), trailing_slash: v.str.length > 1 && v.str.endsWith('/') };
    if (v.str === '') return { ...named, kind: 'empty', type: 'missing', empty: true };
    if (world.created.has(v.str)) return { ...named, kind: 'file', type: 'reg', relative: !v.str.startsWith('/') };
    return { ...named, kind: 'exec-missing', type: 'missing', relative: !v.str.startsWith('/') };
  }
  if ('path' in v) {
    const f = world.fixtures[v.path];
    if (!f) throw new Error(`path refers to unknown fixture "${v.path}"`);
    const interpreter = hasParam(world.fx, f, 'interpreter') ? String(param(world.fx, f, 'interpreter')) : '';
    const type = kindOf(world.fx, f).model.path_type;
    const mode = hasParam(world.fx, f, 'mode') ? Number(param(world.fx, f, 'mode')) : -1;
    return { ...base, kind: f.kind, type, relative: true, interpreter, length: Buffer.byteLength(v.path), longest_component: Buffer.byteLength(v.path), mode };
  }
  return { ...base, kind: 'not-a-path' };
}

function tsFacts(v: FieldValue | undefined) {
  if (v !== undefined && typeof v === 'object' && 'timespec' in v) {
    const { sec, nsec } = v.timespec;
    return { present: true, sec, nsec, ms: sec * 1000 + Math.floor(nsec / 1e6) };
  }
  return { present: false, sec: 0, nsec: 0, ms: 0 };
}

function bufFacts(v: FieldValue | undefined) {
  return { size: v !== undefined && typeof v === 'object' && 'buf' in v ? v.buf : 0 };
}

/** An iovec array at addr: its segments, and the bytes of the first len of them (what READV and WRITEV import). */
function iovFacts(v: FieldValue | undefined, len: number) {
  if (v === undefined || typeof v !== 'object' || !('iov' in v)) return { count: 0, bytes: 0 };
  return { count: v.iov.length, bytes: v.iov.slice(0, Math.max(0, len)).reduce((a, b) => a + b, 0) };
}

export interface ContextInput {
  ring: RingSpec;
  profile: ProfileSpec;
  op: OpSpec | undefined;
  /** a raw opcode of the SQE that no op of the profile has */
  opcode?: number;
  sqe: CaseSqe;
  userData: number;
  world: World;
  task: Task;
  ringFacts: RingFacts;
  link: LinkFacts;
  prev?: PrevFacts;
  nprocExhausted?: boolean;
  /** the request whose user_data is the SQE's addr (a cancel's key), as the engine knows it */
  target?: { pending: boolean; op: string };
}

/** The names that never change for a ring spec (errno names, constants, CQE flags): shared, as the context's prototype. */
const baseOf = new WeakMap<RingSpec, object>();
export function ringNames(ring: RingSpec): object {
  let b = baseOf.get(ring);
  if (!b) {
    b = Object.freeze({ ...ring.errno, ...ring.constants, ...Object.fromEntries(ring.cqe_flags.map((f) => [f.name, f.value])) });
    baseOf.set(ring, b);
  }
  return b;
}

const flagValues = new WeakMap<RingSpec, Map<string, number>>();
function flagValue(ring: RingSpec, name: string): number {
  let m = flagValues.get(ring);
  if (!m) {
    m = new Map(ring.sqe_flags.map((f) => [f.name, f.value]));
    flagValues.set(ring, m);
  }
  return m.get(name) ?? 0;
}

const setupOf = new WeakMap<RingFacts, Record<string, unknown>>();
function setupFacts(ring: RingSpec, facts: RingFacts): Record<string, unknown> {
  // drain_disabled changes while a case runs: only the setup flags are kept
  let setup = setupOf.get(facts);
  if (!setup) {
    setup = Object.fromEntries(ring.setup_flags.map((s) => [setupFactName(s.name), facts.flags.includes(s.name)]));
    setupOf.set(facts, setup);
  }
  return { ...setup, drain_disabled: facts.drain_disabled };
}

const opFactsOf = new WeakMap<OpSpec, WeakMap<ProfileSpec, Record<string, unknown>>>();
const noOp = new WeakMap<ProfileSpec, Record<string, unknown>>();
function opFacts(op: OpSpec | undefined, profile: ProfileSpec): Record<string, unknown> {
  const byProfile = op ? (opFactsOf.get(op) ?? opFactsOf.set(op, new WeakMap()).get(op)!) : noOp;
  let facts = byProfile.get(profile);
  if (!facts) {
    facts = Object.freeze({ opcode: (op && profile.opcodes[op.short]) ?? -1, ...Object.fromEntries(SUPPORTS_KEYS.map((k) => [k, op?.supports[k] ?? false])) });
    byProfile.set(profile, facts);
  }
  return facts;
}

const NO_TARGET = Object.freeze({ pending: false, op: '' });
const NO_PREV: PrevFacts = Object.freeze({ pending: false, waits_armed: false, deferred: false, deferred_ms: 0, res: 0, may_punt: false, iowq_blocking: false });

/** The evaluation context of the spec's expressions: exactly the names vocabulary.ts declares. */
export function evalContext(i: ContextInput): Record<string, unknown> {
  const flags = i.sqe.flags ?? [];
  let flagBits = 0;
  for (const name of flags) flagBits |= flagValue(i.ring, name);
  const has = (n: string) => flags.includes(n);
  const f = i.sqe.fields ?? {};
  const sqe: Record<string, unknown> = {};
  for (const s of SQE_SLOTS as readonly SqeSlot[]) sqe[s] = slotNumber(f[s]);
  const len = sqe.len as number;
  sqe.len_s32 = len | 0;
  sqe.user_data = i.userData;
  sqe.flags = flagBits;
  sqe.link = has('IOSQE_IO_LINK');
  sqe.hardlink = has('IOSQE_IO_HARDLINK');
  sqe.async = has('IOSQE_ASYNC');
  sqe.drain = has('IOSQE_IO_DRAIN');
  sqe.skip_success = has('IOSQE_CQE_SKIP_SUCCESS');
  sqe.buffer_select = has('IOSQE_BUFFER_SELECT');
  sqe.fixed_file = has('IOSQE_FIXED_FILE');
  const ctx = Object.create(ringNames(i.ring)) as Record<string, unknown>;
  ctx.sqe = sqe;
  ctx.op = i.opcode !== undefined ? { ...opFacts(i.op, i.profile), opcode: i.opcode } : opFacts(i.op, i.profile);
  ctx.ring = setupFacts(i.ring, i.ringFacts);
  ctx.link = i.link;
  // with IOSQE_FIXED_FILE fd is a slot: a number names one; a fixture ref's fd number is no slot the oracle knows (none)
  ctx.fd = sqe.fixed_file ? slotFdFacts(i.world, typeof f.fd === 'number' ? f.fd : -1) : fdFacts(i.world, i.task, f.fd, i.ring.constants.AT_FDCWD);
  ctx.files = filesFacts(i.world, f.file_index, f.addr3);
  ctx.cred = credFacts(i.world, i.task, f.personality);
  ctx.path = pathFacts(i.world, f.addr);
  ctx.ts = tsFacts(f.addr);
  ctx.buf = bufFacts(f.addr);
  ctx.iov = iovFacts(f.addr, sqe.len as number);
  ctx.task = { spawn: i.task.spawn, nproc_exhausted: i.nprocExhausted ?? false };
  ctx.kernel = i.profile.features;
  ctx.prev = i.prev ? { ...NO_PREV, ...i.prev } : NO_PREV;
  ctx.target = i.target ?? NO_TARGET;
  return ctx;
}
