import type { FieldValue } from '../types.js';

/** The fixture a field value refers to ({fd: name} or {path: name}), if any. */
export function fixtureRefOf(v: FieldValue): string | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  return 'fd' in v ? v.fd : 'path' in v ? v.path : undefined;
}
