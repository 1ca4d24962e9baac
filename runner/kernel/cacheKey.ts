import { createHash } from 'node:crypto';

export interface CacheKeyInput {
  /** Installed linux-source package version, e.g. "6.12.117-1~deb12u1". */
  sourceVersion: string;
  /** Extracted patch texts, in series order. */
  patches: string[];
  fixups: string[];
  fragment: string;
  debug: boolean;
  /** Bumped when the build procedure itself changes. */
  recipe: string;
  /** Further tree edits of a variant (the coverage Makefile lines); absent from the plain key. */
  extra?: string;
  /** The user's own patches (`kernel build --extra-patch`), diffs in order; absent or empty: not in the key. */
  extraPatches?: string[];
}

/** Short content hash naming one kernel build in the cache. */
export function cacheKey(input: CacheKeyInput): string {
  const h = createHash('sha256');
  const part = (label: string, text: string) => h.update(`${label}\0${text.length}\0${text}\0`);
  part('recipe', input.recipe);
  part('source', input.sourceVersion);
  input.patches.forEach((p, i) => part(`patch${i}`, p));
  input.fixups.forEach((f, i) => part(`fixup${i}`, f));
  part('fragment', input.fragment);
  part('debug', String(input.debug));
  if (input.extra !== undefined) part('extra', input.extra);
  (input.extraPatches ?? []).forEach((p, i) => part(`extra-patch${i}`, p));
  return h.digest('hex').slice(0, 16);
}
