import type { CaseSqe, FieldValue, OpSpec, ProfileSpec, RingSpec, SqeSlot } from '../../spec/types.js';
import { SQE_SLOTS } from '../../spec/types.js';
import { fdKey, fdKind, type Task, type World } from './world.js';
import { boolParam, hasParam, kindOf, param } from '../../spec/fixtureParams.js';
import { setupFactName, SUPPORTS_KEYS } from './vocabulary.js';

/** Facts about where an SQE sits in the link being assembled or run. */
export interface LinkFacts { in_link: boolean; has_next: boolean; prev_op: string }

/** What the member guarded by a LINK_TIMEOUT did. */
export interface PrevFacts { pending: boolean; deferred: boolean; deferred_ms: number; res: number; may_punt: boolean }

export interface RingFacts { flags: string[]; drain_disabled: boolean }

/** Numeric stand-ins for references: what prep rules see of a pointer or an fd the runtime fills in. */
function slotNumber(v: FieldValue | undefined): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  if ('fd' in v) return 3;
  return 1;
}

function fdFacts(world: World, task: Task, v: FieldValue | undefined) {
  const none = { kind: 'closed', avail: 0, writers: 0, readers: 0, size: 0, pos: 0, self: false, open: false };
  if (v === undefined || typeof v === 'number') return v === -100 ? { ...none, kind: 'cwd', open: true } : none;
  if (!('fd' in v)) return none;
  const f = world.fixtures[v.fd];
  if (!f) throw new Error(`fd refers to unknown fixture "${v.fd}"`);
  const kind = fdKind(world, v.fd);
  const key = kind === 'pipe' ? fdKey(v.fd, v.end ?? 'r') : v.fd;
  const entry = task.fds.get(key);
  if (!entry?.open) return none;
  if (kind === 'pipe') {
    const p = world.pipes.get(v.fd)!;
    return { ...none, kind: v.end === 'w' ? 'pipe-w' : 'pipe-r', avail: p.avail, writers: p.writers, readers: p.readers, open: true };
  }
  if (kind === 'file') return { ...none, kind: 'file', size: world.files.get(v.fd)?.size ?? 0, pos: world.files.get(v.fd)?.pos ?? 0, open: true };
  if (kind === 'dir') return { ...none, kind: 'dir', self: hasParam(world.fx, f, 'self') && boolParam(world.fx, f, 'self'), open: true };
  return { ...none, kind, open: true };
}

function pathFacts(world: World, v: FieldValue | undefined) {
  const base = { kind: 'null', type: 'none', empty: false, relative: false, interpreter: '', length: 0, longest_component: 0, trailing_slash: false };
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
    return { ...base, kind: f.kind, type, relative: true, interpreter, length: Buffer.byteLength(v.path), longest_component: Buffer.byteLength(v.path) };
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

export interface ContextInput {
  ring: RingSpec;
  profile: ProfileSpec;
  op: OpSpec | undefined;
  sqe: CaseSqe;
  userData: number;
  world: World;
  task: Task;
  ringFacts: RingFacts;
  link: LinkFacts;
  prev?: PrevFacts;
  nprocExhausted?: boolean;
}

/** The evaluation context of the spec's expressions: exactly the names vocabulary.ts declares. */
export function evalContext(i: ContextInput): Record<string, unknown> {
  const flagBits = (i.sqe.flags ?? []).reduce((acc, name) => acc | (i.ring.sqe_flags.find((f) => f.name === name)?.value ?? 0), 0);
  const has = (n: string) => (i.sqe.flags ?? []).includes(n);
  const f = i.sqe.fields ?? {};
  const slots = Object.fromEntries(SQE_SLOTS.map((s: SqeSlot) => [s, slotNumber(f[s])]));
  const len = slots.len as number;
  const sqe = {
    ...slots,
    len_s32: len | 0,
    user_data: i.userData,
    flags: flagBits,
    link: has('IOSQE_IO_LINK'),
    hardlink: has('IOSQE_IO_HARDLINK'),
    async: has('IOSQE_ASYNC'),
    drain: has('IOSQE_IO_DRAIN'),
    skip_success: has('IOSQE_CQE_SKIP_SUCCESS'),
    buffer_select: has('IOSQE_BUFFER_SELECT'),
    fixed_file: has('IOSQE_FIXED_FILE'),
  };
  const setup = Object.fromEntries(i.ring.setup_flags.map((s) => [setupFactName(s.name), i.ringFacts.flags.includes(s.name)]));
  const supports = Object.fromEntries(SUPPORTS_KEYS.map((k) => [k, i.op?.supports[k] ?? false]));
  return {
    ...i.ring.errno,
    ...i.ring.constants,
    sqe,
    op: { opcode: (i.op && i.profile.opcodes[i.op.short]) ?? -1, ...supports },
    ring: { ...setup, drain_disabled: i.ringFacts.drain_disabled },
    link: i.link,
    fd: fdFacts(i.world, i.task, f.fd),
    path: pathFacts(i.world, f.addr),
    ts: tsFacts(f.addr),
    buf: bufFacts(f.addr),
    task: { spawn: i.task.spawn, nproc_exhausted: i.nprocExhausted ?? false },
    kernel: i.profile.features,
    prev: i.prev ?? { pending: false, deferred: false, deferred_ms: 0, res: 0, may_punt: false },
  };
}
