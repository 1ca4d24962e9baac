import { describe, expect, it } from 'vitest';
import { loadSpec } from '../load/loadSpec.js';
import { parseCase } from './parseCase.js';
import { writeCase } from './writeCase.js';

const spec = loadSpec();

const good = `description: a NOP
rules: [nop.issue.success]
provenance: { kind: hand-written }
ring: { entries: 8 }
sqes:
  - op: NOP
`;

/** Each malformed case, the line and column the error must point at, and the field it must name. */
const malformed: [string, string, string, RegExp][] = [
  ['yaml syntax', 'description: [unclosed\nrules: []\n', '2:1', /\(yaml\)/],
  ['duplicate key', `${good}description: again\n`, '7:1', /\(yaml\)/],
  ['missing field', good.replace('provenance: { kind: hand-written }\n', ''), '1:1', /\(root\): missing required field "provenance"/],
  ['unknown field', `${good}colour: red\n`, '7:1', /colour: unknown field/],
  ['unknown op', good.replace('op: NOP', 'op: FROBNICATE'), '6:9', /sqes\.0\.op: unknown op "FROBNICATE"/],
  ['unknown rule id', good.replace('[nop.issue.success]', '[nop.issue.nonsense]'), '2:9', /rules\.0: unknown rule id/],
  ['entries out of range', good.replace('entries: 8', 'entries: 100000'), '4:18', /ring\.entries: must be <= 4096/],
  ['field out of range', `${good}    fields: { len: 4294967296 }\n`, '7:20', /sqes\.0\.fields\.len: 4294967296 is out of range/],
  ['unknown sqe flag', `${good}    flags: [IOSQE_BOGUS]\n`, '7:13', /sqes\.0\.flags\.0: unknown SQE flag "IOSQE_BOGUS"/],
  ['unknown fixture', `${good}    fields: { fd: { fd: nothere } }\n`, '7:19', /sqes\.0\.fields\.fd: unknown fixture "nothere"/],
  ['unknown setup flag', good.replace('{ entries: 8 }', '{ entries: 8, flags: [IORING_SETUP_MAGIC] }'), '4:29', /ring\.flags\.0: unknown setup flag/],
  ['wrong type', good.replace('entries: 8', 'entries: eight'), '4:18', /ring\.entries: must be integer/],
  ['bad provenance kind', good.replace('kind: hand-written', 'kind: dreamt'), '3:21', /provenance\.kind: must be one of/],
  ['batches mismatch', `${good}batches: [3]\n`, '7:10', /batches: batches add up to 3, but the case has 1 SQEs/],
  ['multi-line description', good.replace('description: a NOP', 'description: "a\\nNOP"'), '1:14', /description: must match pattern/],
];

describe('parseCase', () => {
  it('accepts a well-formed case and round-trips it through writeCase', () => {
    const c = parseCase('good.yaml', good, spec);
    expect(parseCase('again.yaml', writeCase(c), spec)).toEqual(c);
  });

  it.each(malformed)('rejects %s with file:line:col and the field', (_name, text, pos, message) => {
    let err: Error | undefined;
    try { parseCase('bad.yaml', text, spec); } catch (e) { err = e as Error; }
    expect(err?.message).toMatch(new RegExp(`^bad\\.yaml:${pos}: `));
    expect(err?.message).toMatch(message);
    expect(err?.message.split('\n')).toHaveLength(1);
  });
});
