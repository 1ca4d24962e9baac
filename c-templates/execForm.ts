import { SQE_SLOTS, type Case, type Expectation, type FieldValue, type Fixture, type FixtureRef, type ProfileSpec, type SqeSlot, type Spec } from '../spec/types.js';
import { userDataOf } from '../spec/case/userData.js';
import { rawOpcode } from '../spec/case/rawOp.js';
import { kindOf, param } from '../spec/fixtureParams.js';
import { fixtureIdent } from './fixtureIdent.js';
import { SQE_SLOT_TYPES } from './sqeSlotTypes.js';

/**
 * The exec form: a case with every name resolved to what the kernel and the C runtime see (opcode
 * numbers, flag bits, fixture indexes and runtime arguments), plus its expectations. It is the one
 * form both consumers take: the C renderer (a standalone reproducer) and the executor's encoding.
 * Building it decides nothing about io_uring; it checks that the case can be rendered.
 */

/** A field value: a number already fitted to its slot, or a reference the runtime resolves. */
export type ExecValue =
  | { int: bigint }
  | { fd: number; end: 'r' | 'w' }
  | { path: number }
  | { buf: number }
  | { iov: number[] }
  | { str: string }
  | { ts: { sec: number; nsec: number } }
  | { strv: string[]; what: 'argv' | 'envp' }
  /** the res of the CQE of this user_data, which came before the SQE's batch is filled (an fd an earlier request opened) */
  | { result: number };

export interface ExecFixture {
  name: string;
  ident: string;
  kind: string;
  /** the index of the kind in spec/fixtures.yaml: the executor's dispatch number */
  kindIndex: number;
  fn: string;
  args: number[];
  refs: FixtureRef[];
}

export interface ExecSqe {
  user_data: number;
  op: string;
  opcode: number;
  flags: string[];
  flagBits: number;
  /** the op is a raw opcode (op `#<n>`): the SQE's opcode is the number, named by no macro */
  raw?: boolean;
  /** the slots the case sets, in SQE_SLOTS order; every other slot is zero */
  slots: [SqeSlot, ExecValue][];
}

/** An fd of a fixture the exec helper's report names: which fixture, which end. */
export interface ExecFdRef { key: string; fixture: number; end: 'r' | 'w' }

export interface ExecForm {
  id: string;
  description: string;
  rules: string[];
  profile: { name: string; kernel: string };
  ring: { entries: number; flags: string[]; flagBits: number; cqEntries?: number };
  /** the ops whose opcodes the kernel's probe must list, else the case skips */
  probe: { op: string; opcode: number }[];
  fixtures: ExecFixture[];
  sqes: ExecSqe[];
  batches: number[];
  /** per io_uring_enter, its to_submit (the case's to_submit); absent: io_uring_submit(), every waiting SQE */
  toSubmit?: number[];
  /** settle[k]: before submission k + 2, wait for the CQEs of these user_data */
  settle: number[][];
  credentials?: { uid: number; gid: number; nproc?: number };
  reapTimeoutMs: number;
  /** run it in a process and temp dir of its own: it spawns, touches files, or changes an fd table */
  isolate: boolean;
  want: Expectation;
  divergence?: { id: string; reason: string; source: string; expect?: Expectation };
  /** how many spawned tasks end (and are waited for), over both expectations */
  reaped: number;
  /** every report fd key of both expectations, resolved */
  fdRefs: Map<string, ExecFdRef>;
  /** the request submitted once the chain and its tasks are done (spawn.ring.usable-after), by opcode */
  ringAfter?: { op: string; opcode: number; user_data: number };
}

export interface ExecFormInput {
  id: string;
  c: Case & { expect: Expectation };
  divergence?: ExecForm['divergence'];
  reapTimeoutMs: number;
  probeOps: string[];
}

class FormError extends Error {}

function slotInt(v: number, slot: SqeSlot, where: string): bigint {
  const t = SQE_SLOT_TYPES[slot];
  if (!Number.isSafeInteger(v)) throw new FormError(`${where}: ${v} is not an exact integer`);
  const span = 1n << BigInt(t.bits);
  const n = BigInt(v);
  if (n < -(span / 2n) || n >= span) throw new FormError(`${where}: ${v} does not fit in ${t.bits} bits`);
  return n < 0n ? n + span : n;
}

/** A `fixture` param at run time: 2 * the named fixture's index, + 1 for a pipe's write end; -1 for none. */
function fixtureParamArg(v: string, names: string[], where: string): number {
  if (v === '') return -1;
  const m = /^(.+?)(\.w)?$/.exec(v)!;
  const i = names.indexOf(m[1]!);
  if (i < 0) throw new FormError(`${where}: no fixture named "${m[1]}"`);
  return 2 * i + (m[2] ? 1 : 0);
}

function fixtureValue(spec: Spec, name: string, f: Fixture, index: number, names: string[] = []): ExecFixture {
  const k = kindOf(spec.fixtures, f);
  for (const key of Object.keys(f)) {
    if (key !== 'kind' && !k.params[key]) throw new FormError(`fixture ${name}: kind ${f.kind} has no param "${key}"`);
  }
  const args = k.runtime.args.map((a) => {
    if ('index' in a) return index;
    const v = param(spec.fixtures, f, a.param);
    if (k.params[a.param]!.type === 'fixture') return fixtureParamArg(String(v), names.slice(0, index), `fixture ${name}: ${a.param}`);
    if (a.map) {
      const m = a.map[String(v)];
      if (m === undefined) throw new FormError(`fixture ${name}: ${a.param} "${String(v)}" has no runtime value`);
      return m;
    }
    return typeof v === 'boolean' ? Number(v) : Number(v);
  });
  return {
    name, ident: fixtureIdent(name), kind: f.kind, kindIndex: Object.keys(spec.fixtures.kinds).indexOf(f.kind),
    fn: k.runtime.fn, args, refs: k.refs,
  };
}

/** Resolves a report's fd key ("p0.r", "f0") to its fixture and end; a key that names a fixture outright wins. */
function fdRef(key: string, byName: Map<string, ExecFixture & { index: number }>, where: string): ExecFdRef {
  const m = /^(.+)\.([rw])$/.exec(key);
  const [name, end] = byName.has(key) ? [key, 'r' as const] : m ? [m[1]!, m[2] as 'r' | 'w'] : [key, 'r' as const];
  const f = byName.get(name);
  if (!f) throw new FormError(`${where}: fd ${key}: no fixture named "${name}"`);
  const want: FixtureRef = end === 'w' ? 'fd.w' : 'fd';
  if (!f.refs.includes(want)) throw new FormError(`${where}: fd ${key}: fixture ${name} (${f.kind}) has no ${want === 'fd.w' ? 'write end' : 'fd'}`);
  return { key, fixture: f.index, end };
}

function value(v: FieldValue, slot: SqeSlot, position: number, byName: Map<string, ExecFixture & { index: number }>): ExecValue {
  const where = `sqe ${position} ${slot}`;
  if (typeof v === 'number') return { int: slotInt(v, slot, where) };
  const ref = (name: string, want: FixtureRef) => {
    const f = byName.get(name);
    if (!f) throw new FormError(`${where}: no fixture named "${name}"`);
    if (!f.refs.includes(want)) throw new FormError(`${where}: fixture ${name} (${f.kind}) has no ${want}`);
    return f.index;
  };
  if ('fd' in v) return { fd: ref(v.fd, v.end === 'w' ? 'fd.w' : 'fd'), end: v.end === 'w' ? 'w' : 'r' };
  if ('path' in v) return { path: ref(v.path, 'path') };
  if ('buf' in v) {
    if (!Number.isSafeInteger(v.buf) || v.buf < 0) throw new FormError(`${where}: bad buffer size ${v.buf}`);
    return { buf: v.buf };
  }
  if ('iov' in v) {
    if (!v.iov.length || v.iov.some((n) => !Number.isSafeInteger(n) || n < 0)) throw new FormError(`${where}: bad iovec sizes [${v.iov.join(', ')}]`);
    return { iov: v.iov };
  }
  if ('str' in v) return { str: v.str };
  if ('timespec' in v) return { ts: v.timespec };
  if ('argv' in v) return { strv: v.argv, what: 'argv' };
  if ('envp' in v) return { strv: v.envp, what: 'envp' };
  if ('result_of' in v) {
    if (!Number.isSafeInteger(v.result_of) || v.result_of < 0) throw new FormError(`${where}: bad result_of ${v.result_of}`);
    return { result: v.result_of };
  }
  throw new FormError(`${where}: unknown field value ${JSON.stringify(v)}`);
}

/** Members of one union in struct io_uring_sqe: a case sets at most one of each pair. */
const SAME_STORAGE: [SqeSlot, SqeSlot][] = [['off', 'addr2']];

function isolates(spec: Spec, c: Case, fixtures: ExecFixture[], spawns: boolean): boolean {
  // the submitter's fd table and fs after the chain are compared with the ones a fresh process had before it
  if (spawns || c.credentials || c.expect?.submitter) return true;
  if (fixtures.some((f) => spec.fixtures.kinds[f.kind]!.touches.length > 0)) return true;
  // an outcome that opens, closes, creates or execs changes more than the fixtures' own bytes
  return c.sqes.some((s) => {
    const op = spec.ops[s.op];
    return op?.spawns || op?.issue.some((r) => r.effects?.some((e) => !('consume' in e || 'produce' in e || 'extend' in e)));
  });
}

const reapedOf = (e: Expectation | undefined) => (e?.spawn ? e.spawn.tasks.filter((t) => t.outcome !== 'none').length : 0);

/** Builds the exec form of a prepared case on a profile; a case that cannot be rendered throws an Error naming the field. */
export function execForm(spec: Spec, profile: ProfileSpec, i: ExecFormInput): ExecForm {
  const c = i.c;
  const batches = c.batches ?? [c.sqes.length];
  if (batches.reduce((a, b) => a + b, 0) !== c.sqes.length || batches.some((b) => !Number.isInteger(b) || b < 0)) {
    throw new FormError(`batches [${batches.join(', ')}] do not split the case's ${c.sqes.length} SQEs`);
  }
  for (const [what, e] of [['expect', c.expect], ...(i.divergence?.expect ? [[`divergence ${i.divergence.id}`, i.divergence.expect]] : [])] as [string, Expectation][]) {
    // a ring io_uring_setup() refuses makes no submit call
    if (!e.setup && e.submitted.length !== batches.length) throw new FormError(`${what}.submitted has ${e.submitted.length} entries, but the case makes ${batches.length} submit calls`);
  }
  if (c.to_submit && (c.to_submit.length !== batches.length || c.to_submit.some((n) => !Number.isInteger(n) || n < 0))) {
    throw new FormError(`to_submit [${c.to_submit.join(', ')}] does not give one count per submit call`);
  }
  const settle = c.expect.settle ?? [];
  if (settle.length && settle.length !== batches.length - 1) {
    throw new FormError(`expect.settle has ${settle.length} entries, but the case has ${batches.length - 1} later submit calls`);
  }
  const names = Object.keys(c.fixtures ?? {});
  const idents = new Set<string>();
  const fixtures = names.map((name, index) => {
    if (!/^[A-Za-z0-9._-]+$/.test(name) || name === '.' || name === '..') throw new FormError(`fixture name "${name}" is not a plain file name`);
    if (/\.(exit|interp)$/.test(name)) throw new FormError(`fixture name "${name}" ends like a file the runtime makes beside a fixture`);
    const fx = fixtureValue(spec, name, c.fixtures![name]!, index, names);
    if (idents.has(fx.ident)) throw new FormError(`fixture names collide in C: ${fx.ident}`);
    idents.add(fx.ident);
    return fx;
  });
  const byName = new Map(fixtures.map((f, index) => [f.name, { ...f, index }]));
  const sqes = c.sqes.map((s, n): ExecSqe => {
    const ud = userDataOf(c, n);
    // a raw opcode is its number on every profile
    const opcode = rawOpcode(s.op) ?? profile.opcodes[s.op];
    if (opcode === undefined) throw new FormError(`sqe ${n + 1}: op ${s.op} has no opcode in profile ${profile.name}`);
    const fields = s.fields ?? {};
    for (const slot of Object.keys(fields)) if (!SQE_SLOTS.includes(slot as SqeSlot)) throw new FormError(`sqe ${n + 1}: unknown field "${slot}"`);
    for (const [a, b] of SAME_STORAGE) if (fields[a] !== undefined && fields[b] !== undefined) throw new FormError(`sqe ${n + 1}: ${a} and ${b} are the same storage; set one`);
    const flagBits = (s.flags ?? []).reduce((acc, name) => {
      const f = spec.ring.sqe_flags.find((x) => x.name === name);
      if (!f) throw new FormError(`sqe ${n + 1}: unknown SQE flag ${name}`);
      return acc | f.value;
    }, 0);
    const slots = SQE_SLOTS.filter((slot) => fields[slot] !== undefined).map((slot): [SqeSlot, ExecValue] => [slot, value(fields[slot]!, slot, n + 1, byName)]);
    return { user_data: ud, op: s.op, opcode, ...(rawOpcode(s.op) !== undefined ? { raw: true } : {}), flags: s.flags ?? [], flagBits, slots };
  });
  const ringFlags = c.ring.flags ?? [];
  const flagBits = ringFlags.reduce((acc, name) => {
    const f = spec.ring.setup_flags.find((x) => x.name === name);
    if (!f) throw new FormError(`ring: unknown setup flag ${name}`);
    return acc | f.value;
  }, 0);
  const probe = i.probeOps.map((op) => {
    if (!c.sqes.some((s) => s.op === op)) throw new FormError(`probeOps names ${op}, which the case does not use`);
    return { op, opcode: profile.opcodes[op]! };
  });
  const fdRefs = new Map<string, ExecFdRef>();
  for (const e of [c.expect, i.divergence?.expect]) {
    for (const [t, task] of (e?.spawn?.tasks ?? []).entries()) {
      for (const key of [...(task.report?.fds_open ?? []), ...(task.report?.fds_closed ?? []), ...(task.report?.fds_installed ?? [])]) {
        if (!fdRefs.has(key)) fdRefs.set(key, fdRef(key, byName, `task ${t + 1} report`));
      }
    }
    for (const key of e?.submitter?.fds_closed ?? []) if (!fdRefs.has(key)) fdRefs.set(key, fdRef(key, byName, 'submitter'));
  }
  const spawns = c.expect.spawn !== undefined || i.divergence?.expect?.spawn !== undefined;
  const after = c.expect.submitter?.ring_after ?? i.divergence?.expect?.submitter?.ring_after;
  const afterOpcode = after ? profile.opcodes[after.op] : undefined;
  if (after && afterOpcode === undefined) throw new FormError(`submitter.ring_after: op ${after.op} has no opcode in profile ${profile.name}`);
  return {
    id: i.id, description: c.description, rules: c.rules, profile: { name: profile.name, kernel: profile.kernel },
    ring: { entries: c.ring.entries, flags: ringFlags, flagBits, ...(c.ring.cq_entries !== undefined ? { cqEntries: c.ring.cq_entries } : {}) }, probe, fixtures, sqes, batches, ...(c.to_submit ? { toSubmit: c.to_submit } : {}), settle,
    ...(c.credentials ? { credentials: c.credentials } : {}),
    reapTimeoutMs: i.reapTimeoutMs, isolate: isolates(spec, c, fixtures, spawns),
    want: c.expect, ...(i.divergence ? { divergence: i.divergence } : {}),
    reaped: Math.max(reapedOf(c.expect), reapedOf(i.divergence?.expect)), fdRefs,
    ...(after ? { ringAfter: { op: after.op, opcode: afterOpcode!, user_data: after.user_data } } : {}),
  };
}

export { FormError };
