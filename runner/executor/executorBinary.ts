import type { Spec } from '../../spec/types.js';
import { renderExecutor } from '../../c-templates/renderExecutor.js';
import { compileCase } from '../compile/compileCase.js';

/** The executor, built once per content hash of its source (statically for a guest without liburing.so). */
export function executorBinary(spec: Spec, cacheDir: string, o: { static?: boolean } = {}): Promise<string> {
  return compileCase(renderExecutor(spec), { cacheDir, ...(o.static ? { static: true } : {}) });
}
