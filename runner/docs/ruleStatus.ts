import type { Verdict } from '../verdict.js';

/**
 * What a run says about one rule: `finding` (a WARN, BUG, hang or crash in one of its cases), `fail` (an
 * unexplained mismatch), `diverges` (a known divergence of the profile matched), `pass`, or `not exercised`.
 */
export type RuleStatus = 'finding' | 'fail' | 'diverges' | 'pass' | 'not exercised';

export interface RuleVerdict {
  id: string;
  status: RuleStatus;
  cases: Verdict[];
  /** the divergences that matched, with the citation that documents each */
  divergences: { id: string; rule?: string; source: string }[];
}

const FINDING = new Set(['finding', 'crash', 'timeout']);

/**
 * The rule's status from the cases that check it (skips aside). A case that matched a divergence of this
 * rule makes it `diverges`; one that matched another rule's divergence says nothing for or against this
 * rule, so the rule passes only if some other case passes, and reads `diverges` (naming that divergence)
 * when XFAILs are all it has.
 */
export function ruleStatus(id: string, verdicts: Verdict[]): RuleVerdict {
  const cases = verdicts.filter((v) => v.rules.includes(id) && v.kind !== 'skip');
  const xfails = cases.filter((v) => v.kind === 'xfail');
  const partsOf = (v: Verdict): RuleVerdict['divergences'] => {
    const d = v.divergence;
    if (!d) return [];
    return d.parts ?? [{ id: d.id, ...(d.rule ? { rule: d.rule } : {}), source: d.source }];
  };
  const ownParts = (v: Verdict) => partsOf(v).filter((p) => !p.rule || p.rule === id);
  const own = xfails.filter((v) => ownParts(v).length > 0);
  const cited = (vs: Verdict[], pick: (v: Verdict) => RuleVerdict['divergences']) => [...new Map(vs.flatMap((v) => pick(v).map((p) => [p.id, p] as const))).values()];
  let status: RuleStatus;
  let divergences = cited(own, ownParts);
  if (!cases.length) status = 'not exercised';
  else if (cases.some((v) => FINDING.has(v.kind))) status = 'finding';
  else if (cases.some((v) => v.kind === 'fail')) status = 'fail';
  else if (own.length) status = 'diverges';
  else if (cases.some((v) => v.kind === 'pass')) status = 'pass';
  else { status = 'diverges'; divergences = cited(xfails, partsOf); }
  return { id, status, cases, divergences };
}
