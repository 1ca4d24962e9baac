import type { ProfileSpec, Spec } from '../spec/types.js';
import { loadSpec } from '../spec/load/loadSpec.js';
import { EnvironmentError } from '../spec/load/inputError.js';

let cached: Spec | undefined;

/** The spec, loaded once per process. */
export function theSpec(): Spec {
  cached ??= loadSpec();
  return cached;
}

export function profileNamed(spec: Spec, name: string): ProfileSpec {
  const p = spec.profiles[name];
  if (!p) throw new EnvironmentError(`unknown profile "${name}" (known: ${Object.keys(spec.profiles).join(', ')})`);
  return p;
}

/** Where compiled binaries and kernels are cached: outside the repo, shared between runs. */
export { defaultCacheDir as cacheDir } from './kernel/cacheDir.js';

export const progress = (line: string) => process.stderr.write(`uringspec: ${line}\n`);
