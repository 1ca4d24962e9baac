import { SQE_SLOT_BITS, type Case, type Fixture, type SqeSlot, type Spec } from '../types.js';
import { parseYaml, readYaml, type YamlSource } from '../load/yamlSource.js';
import { fixtureRefOf } from './fixtureRef.js';
import { schemaCheck } from '../load/schemaCheck.js';
import { userDataOf } from './userData.js';
import { rawOpcode, rawOpName } from './rawOp.js';

/** Reads a case file: YAML, then the schema, then the cross-checks against the spec. */
export function readCase(file: string, spec: Spec): Case {
  return checkCase(readYaml(file), spec);
}

export function parseCase(file: string, text: string, spec: Spec): Case {
  return checkCase(parseYaml(file, text), spec);
}

function checkCase(src: YamlSource, spec: Spec): Case {
  schemaCheck(src, 'case');
  const c = src.data as Case;
  c.rules.forEach((id, i) => {
    if (!spec.rules.has(id)) throw src.error(['rules', i], `unknown rule id "${id}"`);
  });
  const fixtures = c.fixtures ?? {};
  const names = Object.keys(fixtures);
  names.forEach((name, i) => checkFixture(src, spec, name, fixtures[name]!, Object.fromEntries(names.slice(0, i).map((n) => [n, fixtures[n]!]))));
  c.sqes.forEach((sqe, i) => {
    // op: { raw: n } is kept as the op name #n
    const raw = sqe.op as unknown;
    if (typeof raw === 'object' && raw !== null && 'raw' in raw) sqe.op = rawOpName((raw as { raw: number }).raw);
    if (rawOpcode(sqe.op) === undefined && !spec.ops[sqe.op]) throw src.error(['sqes', i, 'op'], `unknown op "${sqe.op}"`);
    (sqe.flags ?? []).forEach((f, j) => {
      if (!spec.ring.sqe_flags.some((x) => x.name === f)) throw src.error(['sqes', i, 'flags', j], `unknown SQE flag "${f}"`);
    });
    for (const [slot, v] of Object.entries(sqe.fields ?? {})) {
      if (v === undefined) continue;
      if (typeof v === 'number') {
        // any value the slot's width holds, a negative one as its two's complement (addr -4096 is 0xfffffffffffff000)
        const bits = SQE_SLOT_BITS[slot as SqeSlot];
        const lo = -(1n << BigInt(bits - 1));
        const hi = (1n << BigInt(bits)) - 1n;
        if (BigInt(v) < lo || BigInt(v) > hi) throw src.error(['sqes', i, 'fields', slot], `${v} is out of range for a ${bits}-bit field`);
        continue;
      }
      const ref = fixtureRefOf(v);
      if (ref !== undefined && !fixtures[ref]) throw src.error(['sqes', i, 'fields', slot], `unknown fixture "${ref}"`);
    }
  });
  const seen = new Map<number, number>();
  c.sqes.forEach((_, i) => {
    const ud = userDataOf(c, i);
    const other = seen.get(ud);
    if (other !== undefined) throw src.error(['sqes', i, ...(c.sqes[i]!.user_data !== undefined ? ['user_data'] : [])], `user_data ${ud} is also the user_data of SQE ${other + 1}`);
    seen.set(ud, i);
  });
  (c.ring.flags ?? []).forEach((f, j) => {
    if (!spec.ring.setup_flags.some((x) => x.name === f)) throw src.error(['ring', 'flags', j], `unknown setup flag "${f}"`);
  });
  if (c.batches) {
    const total = c.batches.reduce((a, b) => a + b, 0);
    if (total !== c.sqes.length) throw src.error(['batches'], `batches add up to ${total}, but the case has ${c.sqes.length} SQEs`);
  }
  if (c.to_submit) {
    const n = (c.batches ?? [c.sqes.length]).length;
    if (c.to_submit.length !== n) throw src.error(['to_submit'], `to_submit has ${c.to_submit.length} entries, but the case makes ${n} io_uring_enter() calls`);
    // the SQPOLL thread consumes the SQ on its own; io_uring_enter()'s to_submit does not bound it
    if ((c.ring.flags ?? []).includes('IORING_SETUP_SQPOLL')) throw src.error(['to_submit'], 'to_submit means nothing on an IORING_SETUP_SQPOLL ring: its thread consumes the SQ by itself');
  }
  // io_uring_fill_params(): with IORING_SETUP_CQSIZE, roundup_pow_of_two(cq_entries) < sq_entries -> -EINVAL; a case
  // of that refusal is not stated, so the CQ ring must hold at least the SQ ring's entries
  if (c.ring.cq_entries !== undefined && c.ring.cq_entries < c.ring.entries) throw src.error(['ring', 'cq_entries'], `cq_entries ${c.ring.cq_entries} is below entries ${c.ring.entries}: io_uring_setup() would refuse the ring`);
  checkResultOf(src, c);
  for (const p of c.requires?.profiles ?? []) {
    if (!spec.profiles[p]) throw src.error(['requires', 'profiles'], `unknown profile "${p}"`);
  }
  for (const name of Object.keys(c.xfail ?? {})) {
    if (!spec.profiles[name]) throw src.error(['xfail', name], `unknown profile "${name}"`);
  }
  return c;
}

/**
 * `{ result_of: ud }`: the res of an earlier batch's request, read by the runtime from the CQEs it took before it
 * fills this SQE's batch, so the request must be in an earlier batch and the case must settle between batches.
 * Only the fd slot takes it (the fd an OPENAT returned).
 */
function checkResultOf(src: YamlSource, c: Case): void {
  const batches = c.batches ?? [c.sqes.length];
  const batchOf: number[] = batches.flatMap((n, k) => Array<number>(n).fill(k));
  const byUd = new Map(c.sqes.map((_, i) => [userDataOf(c, i), i]));
  c.sqes.forEach((sqe, i) => {
    for (const [slot, v] of Object.entries(sqe.fields ?? {})) {
      if (v === undefined || typeof v !== 'object' || !('result_of' in v)) continue;
      const at = ['sqes', i, 'fields', slot, 'result_of'];
      if (slot !== 'fd') throw src.error(at, `result_of is an fd: only the fd field takes it`);
      const j = byUd.get(v.result_of);
      if (j === undefined) throw src.error(at, `no SQE of the case has user_data ${v.result_of}`);
      if (!(batchOf[j]! < batchOf[i]!)) throw src.error(at, `user_data ${v.result_of} is not in an earlier batch: its CQE cannot be had when this SQE is filled`);
      if (c.settle === false) throw src.error(at, `result_of needs the case to settle between batches (settle: false)`);
    }
  });
}

/** A fixture's kind and params against spec/fixtures.yaml, the one vocabulary of fixture kinds. */
function checkFixture(src: YamlSource, spec: Spec, name: string, f: Fixture, earlier: Record<string, Fixture>): void {
  const kinds = spec.fixtures.kinds;
  const k = kinds[f.kind];
  if (!k) throw src.error(['fixtures', name, 'kind'], `unknown fixture kind "${f.kind}" (known: ${Object.keys(kinds).join(', ')})`);
  for (const [param, v] of Object.entries(f)) {
    if (param === 'kind') continue;
    const p = k.params[param];
    const at = ['fixtures', name, param];
    if (!p) throw src.error(at, `fixture kind ${f.kind} has no param "${param}"${Object.keys(k.params).length ? ` (it has: ${Object.keys(k.params).join(', ')})` : ''}`);
    if (p.type === 'int' && (typeof v !== 'number' || !Number.isInteger(v) || (p.range && (v < p.range[0] || v > p.range[1])))) {
      throw src.error(at, `must be an integer${p.range ? ` from ${p.range[0]} to ${p.range[1]}` : ''}`);
    }
    if (p.type === 'bool' && typeof v !== 'boolean') throw src.error(at, 'must be true or false');
    if (p.type === 'enum' && !p.values!.includes(String(v))) throw src.error(at, `must be one of ${p.values!.join(', ')}`);
    if (p.type === 'fixture' && v !== '') checkFixtureParam(src, spec, earlier, at, v);
  }
}

/** A `fixture` param: "name" or "name.w", an earlier fixture of the case that has that fd. */
function checkFixtureParam(src: YamlSource, spec: Spec, earlier: Record<string, Fixture>, at: (string | number)[], v: unknown): void {
  const m = typeof v === 'string' ? /^([a-z][a-z0-9_]*?)(\.w)?$/.exec(v) : null;
  const f = m ? earlier[m[1]!] : undefined;
  if (!m || !f) throw src.error(at, `must name an earlier fixture of the case ("name", or "name.w" for a pipe's write end), or ""`);
  const want = m[2] ? 'fd.w' : 'fd';
  if (!spec.fixtures.kinds[f.kind]!.refs.includes(want)) throw src.error(at, `fixture ${m[1]} (${f.kind}) has no ${want === 'fd.w' ? 'write end' : 'fd'}`);
}
