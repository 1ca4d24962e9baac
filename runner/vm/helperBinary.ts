import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileCase } from '../compile/compileCase.js';

/** Where the exec helper sits in the guest; the C runtime looks there when URINGSPEC_HELPER is unset. */
export const HELPER_GUEST_PATH = '/uringspec/helper';

const SOURCE = fileURLToPath(new URL('../../c-templates/helper/helper.c', import.meta.url));

/** The static exec helper, compiled once per content hash. */
export function helperBinary(cacheDir: string): Promise<string> {
  return compileCase(readFileSync(SOURCE, 'utf8'), { cacheDir, static: true });
}
