import type { Rule } from '../../spec/types.js';

/** Function names a rule's `source` cites: `io_clone_prep()`, `kernel/fork.c copy_process()`. */
export function citedFunctions(source: string): string[] {
  return [...new Set([...source.matchAll(/\b([A-Za-z_]\w*)\(\)/g)].map((m) => m[1]))];
}

/** Kernel function -> ids of the spec rules whose source cites it, in id order. */
export function rulesByFunction(rules: Iterable<Rule>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of rules) for (const fn of citedFunctions(r.source)) out.set(fn, [...(out.get(fn) ?? []), r.id]);
  for (const ids of out.values()) ids.sort();
  return out;
}
