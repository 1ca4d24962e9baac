import type { Divergence, OutcomeRule, PrepRule, ProfileSpec, Spec, TopicRule } from '../../spec/types.js';
import { evalInt } from '../../spec/expr.js';
import { ringNames } from './context.js';

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

function topicRule(s: Semantics, id: string): TopicRule | undefined {
  let rules = topicRules.get(s.spec);
  if (!rules) {
    rules = new Map();
    // the first rule of an id wins, as a find over the three lists in this order did
    for (const r of [...s.spec.spawn, ...s.spec.chain, ...s.spec.init]) if (!rules.has(r.id)) rules.set(r.id, r);
    topicRules.set(s.spec, rules);
  }
  return rules.get(id);
}

export function switchValue(s: Semantics, id: string): string | number | boolean {
  const rule = topicRule(s, id);
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

/**
 * The res a chain or spawn rule gives the requests it decides (its `res`, e.g. -ECANCELED for the members a
 * failure cancels), after divergences: the errno lives in the YAML, not here.
 */
export function ruleRes(s: Semantics, id: string): number {
  const rule = topicRule(s, id);
  const d = divergenceFor(s, id);
  const source = d?.override.res ?? rule?.res;
  if (source === undefined) throw new Error(`spec has no rule "${id}" with a res`);
  if (d?.override.res !== undefined) s.used.add(d.id);
  return evalInt(source, ringNames(s.spec.ring), id);
}
