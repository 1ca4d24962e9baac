import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { RingSpec } from '../../spec/types.js';

/** spec/ring.yaml, read directly: the renderer's tests need no other part of the spec. */
export const ringSpec = parse(readFileSync(fileURLToPath(new URL('../../spec/ring.yaml', import.meta.url)), 'utf8')) as RingSpec;
