import type { Divergence, OutcomeRule, PrepRule, ProfileSpec, Spec, TopicRule } from '../../spec/types.js';

/**
 * Which semantics the oracle computes: the spec's intended rules, or what a profile's tree is known to
 * do instead (its divergences applied). A case whose two predictions differ carries a known divergence.
 */
export interface Semantics {
  spec: Spec;
  profile: ProfileSpec;
  /** the divergences applied; empty for the intended semantics */
  applied: Divergence[];
  /** ids of the divergences that changed something in the last prediction */
  used: Set<string>;
}

export function semantics(spec: Spec, profile: ProfileSpec, observed: boolean): Semantics {
  return { spec, profile, applied: observed ? profile.divergences ?? [] : [], used: new Set() };
}

function divergenceFor(s: Semantics, id: string): Divergence | undefined {
  return s.applied.find((d) => d.rule === id);
}

/** A prep or outcome rule as this semantics sees it, or undefined when the tree does not have it. */
export function effective<R extends PrepRule | OutcomeRule>(s: Semantics, rule: R): R | undefined {
  const d = divergenceFor(s, rule.id);
  if (!d) return rule;
  if (d.override.disabled) return undefined;
  const { disabled: _d, value: _v, ...rest } = d.override;
  return { ...rule, ...rest } as R;
}

/** The value of a switch rule of the chain or spawn topic, after divergences. */
const topicRules = new WeakMap<Spec, Map<string, TopicRule>>();

export function switchValue(s: Semantics, id: string): string | number | boolean {
  let rules = topicRules.get(s.spec);
  if (!rules) {
    rules = new Map();
    // the first rule of an id wins, as a find over the three lists in this order did
    for (const r of [...s.spec.spawn, ...s.spec.chain, ...s.spec.init]) if (!rules.has(r.id)) rules.set(r.id, r);
    topicRules.set(s.spec, rules);
  }
  const rule = rules.get(id);
  if (!rule || rule.value === undefined) throw new Error(`spec has no switch rule "${id}"`);
  const d = divergenceFor(s, id);
  if (d && d.override.value !== undefined) {
    s.used.add(d.id);
    return d.override.value;
  }
  return rule.value;
}

/** Records that a rule decided an outcome; if a divergence changed that rule, the divergence counts as used. */
export function decided(s: Semantics, ruleId: string): void {
  const d = divergenceFor(s, ruleId);
  if (d) s.used.add(d.id);
}
