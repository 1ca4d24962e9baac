import type { Case, FieldValue, Spec } from '../spec/types.js';

const LINK_FLAGS = ['IOSQE_IO_LINK', 'IOSQE_IO_HARDLINK'];

function fixtureOf(v: FieldValue | undefined): string | undefined {
  if (v === undefined || typeof v !== 'object') return undefined;
  return 'fd' in v ? v.fd : 'path' in v ? v.path : undefined;
}

/** Link index of each SQE: a link ends at a member without a link flag or at the end of a batch. */
export function linkIndex(c: Case): number[] {
  const ends = new Set<number>();
  let total = 0;
  for (const b of c.batches ?? [c.sqes.length]) { total += b; ends.add(total - 1); }
  const out: number[] = [];
  let link = 0;
  c.sqes.forEach((s, i) => {
    out.push(link);
    if (!(s.flags ?? []).some((f) => LINK_FLAGS.includes(f)) || ends.has(i)) link++;
  });
  return out;
}

/**
 * True when no fixture that one link changes (an op whose outcomes list an effect on that field) is
 * also used by another link. Different links are not ordered against each other (a link left open
 * at the end of a submission even runs from io-wq), so the spec promises nothing about such races.
 */
export function independentLinks(spec: Spec, c: Case): boolean {
  const links = linkIndex(c);
  const users = new Map<string, Set<number>>();
  const mutated = new Set<string>();
  const fdFixtures = Object.keys(c.fixtures ?? {});
  c.sqes.forEach((s, i) => {
    const op = spec.ops[s.op];
    // the task a CLONE creates copies every fd and its exec'd program reports them all
    if (op?.spawns) for (const name of fdFixtures) {
      if (!users.has(name)) users.set(name, new Set());
      users.get(name)!.add(links[i]!);
    }
    for (const [slot, v] of Object.entries(s.fields ?? {})) {
      const name = fixtureOf(v as FieldValue);
      if (!name) continue;
      if (!users.has(name)) users.set(name, new Set());
      users.get(name)!.add(links[i]!);
      const changes = op?.issue.some((r) => (r.effects ?? []).some((e) => Object.values(e).includes(slot)));
      if (changes) mutated.add(name);
    }
  });
  for (const [name, ls] of users) if (ls.size > 1 && mutated.has(name)) return false;
  return !usesPipeAfterClose(spec, c, links);
}

/** chain.close.release-unordered: a member that uses one end of a pipe after an earlier member of its link closed the other end. */
function usesPipeAfterClose(spec: Spec, c: Case, links: number[]): boolean {
  const closes = (op: string) => (spec.ops[op]?.issue ?? []).some((r) => (r.effects ?? []).some((e) => 'close' in e));
  const closed = new Map<number, Set<string>>();
  return c.sqes.some((s, i) => {
    const v = s.fields?.fd;
    if (v === undefined || typeof v !== 'object' || !('fd' in v)) return false;
    const kind = c.fixtures?.[v.fd]?.kind;
    if (kind === undefined || !spec.fixtures.kinds[kind]?.model.stream) return false;
    const end = v.end ?? 'r';
    const seen = closed.get(links[i]!) ?? new Set<string>();
    const hit = seen.has(`${v.fd}.${end === 'r' ? 'w' : 'r'}`);
    if (closes(s.op)) seen.add(`${v.fd}.${end}`);
    closed.set(links[i]!, seen);
    return hit;
  });
}
