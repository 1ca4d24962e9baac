import { stringify } from 'yaml';
import type { Case } from '../types.js';
import { rawOpcode } from './rawOp.js';

const ORDER: (keyof Case)[] = ['description', 'rules', 'requires', 'flags', 'xfail', 'provenance', 'ring', 'fixtures', 'sqes', 'batches', 'to_submit', 'settle', 'credentials', 'expect'];

/** The inverse of parseCase: a stable YAML form with the keys in a fixed order. */
export function writeCase(c: Case): string {
  const ordered: Record<string, unknown> = {};
  for (const k of ORDER) if (c[k] !== undefined) ordered[k] = c[k];
  // a raw opcode's op name #n goes back to op: { raw: n }
  if (c.sqes.some((s) => rawOpcode(s.op) !== undefined)) ordered.sqes = c.sqes.map((s) => (rawOpcode(s.op) !== undefined ? { ...s, op: { raw: rawOpcode(s.op) } } : s));
  return stringify(ordered, { lineWidth: 0, flowCollectionPadding: false, collectionStyle: 'any', aliasDuplicateObjects: false });
}
