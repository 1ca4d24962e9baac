import fc from 'fast-check';
import type { Case, CaseSqe, OpSpec, ProfileSpec, Spec } from '../spec/types.js';
import { fixtureSet, keepUnreferenced, referencedFixtures } from './fixtureSet.js';
import { ringSetup } from './ringSetup.js';
import { sqeFor } from './sqeFor.js';
import { independentLinks } from './independentLinks.js';
import { predictWith } from './oracle/predict.js';

export interface ChainOptions {
  /** generate CLONE -> ... -> EXEC segments (needs a profile with both ops) */
  spawn?: boolean;
  maxSegments?: number;
  allowSqpoll?: boolean;
}

const extraFlags: fc.Arbitrary<string[]> = fc.oneof(
  { weight: 12, arbitrary: fc.constant<string[]>([]) },
  { weight: 2, arbitrary: fc.constant<string[]>(['IOSQE_ASYNC']) },
  { weight: 2, arbitrary: fc.constant<string[]>(['IOSQE_CQE_SKIP_SUCCESS']) },
  { weight: 1, arbitrary: fc.constant<string[]>(['IOSQE_IO_DRAIN']) },
  { weight: 1, arbitrary: fc.constant<string[]>(['IOSQE_UNKNOWN_BIT7']) },
);

function withLink(sqe: CaseSqe, link: string | undefined): CaseSqe {
  const flags = [...(link ? [link] : []), ...(sqe.flags ?? [])];
  return flags.length ? { ...sqe, flags } : { op: sqe.op, ...(sqe.fields ? { fields: sqe.fields } : {}) };
}

/** A link: 1..4 members, each but the last joined by LINK or HARDLINK. */
function segment(spec: Spec, ops: OpSpec[], exec: boolean): fc.Arbitrary<CaseSqe[]> {
  const member = fc.constantFrom(...ops).chain((op) => sqeFor(spec.fixtures, op, extraFlags, { exec }));
  return fc.tuple(fc.array(member, { minLength: 1, maxLength: 4 }), fc.array(fc.constantFrom('IOSQE_IO_LINK', 'IOSQE_IO_LINK', 'IOSQE_IO_HARDLINK'), { minLength: 4, maxLength: 4 }))
    .map(([members, links]) => members.map((m, i) => withLink(m, i < members.length - 1 ? links[i] : undefined)));
}

/**
 * The op that spawns (CLONE), linked to the ops the YAML allows in a spawn chain (spawn_member), then one
 * or more of the ops that end one (spawn_only: EXEC), hard-linked like a $PATH search.
 */
function spawnSegment(spec: Spec, spawner: OpSpec, middle: OpSpec[], enders: OpSpec[]): fc.Arbitrary<CaseSqe[]> {
  const clone = sqeFor(spec.fixtures, spawner, fc.constant([]), { exec: true, invalidWeight: 1 });
  const mid = middle.length
    ? fc.array(fc.constantFrom(...middle).chain((op) => sqeFor(spec.fixtures, op, fc.constant([]), { exec: true, invalidWeight: 0 })), { maxLength: 3 })
    : fc.constant<CaseSqe[]>([]);
  const ender = fc.constantFrom(...enders).chain((op) => sqeFor(spec.fixtures, op, fc.constant([]), { exec: true, invalidWeight: 0 }));
  const execs = fc.array(ender, { minLength: 1, maxLength: 3 });
  const midLink = fc.constantFrom('IOSQE_IO_LINK', 'IOSQE_IO_HARDLINK');
  return fc.tuple(clone, mid, execs, fc.array(midLink, { minLength: 3, maxLength: 3 }))
    .map(([c, ms, es, links]) => [
      withLink(c, 'IOSQE_IO_LINK'),
      ...ms.map((m, i) => withLink(m, links[i])),
      ...es.map((e, i) => withLink(e, i < es.length - 1 ? 'IOSQE_IO_HARDLINK' : undefined)),
    ]);
}

/** A whole generated case: ring setup, fixtures, SQEs in 1-2 submissions. Expectations come from the oracle. */
export function linkedChain(spec: Spec, profile: ProfileSpec, o: ChainOptions = {}): fc.Arbitrary<Case> {
  const known = (op: OpSpec) => profile.opcodes[op.short] !== undefined;
  const hostOps = Object.values(spec.ops).filter((op) => known(op) && op.host_safe);
  const spawner = Object.values(spec.ops).find((op) => known(op) && op.spawns);
  const enders = Object.values(spec.ops).filter((op) => known(op) && op.spawn_only);
  const middle = hostOps.filter((op) => op.spawn_member);
  const spawn = o.spawn === true && spawner !== undefined && enders.length > 0;
  const seg = spawn
    ? fc.oneof({ weight: 3, arbitrary: spawnSegment(spec, spawner, middle, enders) }, { weight: 1, arbitrary: segment(spec, hostOps, true) })
    : segment(spec, hostOps, false);
  return fc.record({
    ring: ringSetup(spec.ring, profile, { allowSqpoll: o.allowSqpoll ?? true }),
    fixtures: fixtureSet(spec.fixtures, { exec: spawn }),
    segments: fc.array(seg, { minLength: 1, maxLength: o.maxSegments ?? 3 }),
    split: fc.option(fc.nat(), { freq: 4 }),
    keepAll: keepUnreferenced(spec.fixtures),
  }).map(({ ring, fixtures: all, segments, split, keepAll }) => {
    const sqes = segments.flat().slice(0, Math.max(1, ring.entries));
    const fixtures = keepAll ? all : referencedFixtures(all, sqes);
    const c: Case = {
      description: `generated chain of ${sqes.length} SQEs: ${sqes.map((s) => s.op).join(' ')}`,
      rules: ['chain.cqe.match-by-user-data'],
      provenance: { kind: 'generated', generated: true },
      ring, fixtures, sqes,
    };
    if (split !== null && sqes.length > 1) {
      const first = 1 + (split % (sqes.length - 1));
      c.batches = [first, sqes.length - first];
    }
    if (spawn) c.flags = ['vm-only'];
    return c;
  // undetermined by the intended rules, or by what the profile's tree does instead (a race only its divergence has,
  // e.g. 6.12's drain mode sending a request to io-wq ahead of a cancel): the kernel under test runs the latter
  }).filter((c) => independentLinks(spec, c) && !predictWith(spec, profile, c, false).undetermined && !(profile.divergences?.length && predictWith(spec, profile, c, true).undetermined));
}
