import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../spec/load/loadSpec.js';
import { parseCase } from '../../spec/case/parseCase.js';
import { predictWith } from './predict.js';

const spec = loadSpec();
const host = spec.profiles['upstream-6.18']!;
const chain = (sqes: string) => parseCase('x.yaml', `description: x
rules: [chain.cqe.match-by-user-data]
provenance: { kind: hand-written }
ring: { entries: 8 }
fixtures:
  p: { kind: pipe }
  f: { kind: file, size: 4 }
  d: { kind: dir }
sqes:
${sqes}`, spec);
const undetermined = (sqes: string) => predictWith(spec, host, chain(sqes), false).undetermined;

// found by uringspec fuzz --target host --seed 2004 --path 257: CLOSE of a pipe's read end, then a PIPE, then a
// NOP(IORING_NOP_FILE) of the closed fd found a file (the new pipe took the freed number), not -EBADF
describe('an fd the case closed, once the task made a new fd', () => {
  it('may name the new file: what a request of it gets is left undetermined', () => {
    expect(undetermined(`  - { op: CLOSE, fields: { fd: { fd: p } } }
  - { op: OPENAT, fields: { fd: -100, addr: { path: f } } }
  - { op: NOP, fields: { fd: { fd: p }, rw_flags: 2 } }
`)).toBe(true);
  });

  it('is -EBADF as before while no new fd was made, or when the new fd came before the close', () => {
    expect(undetermined(`  - { op: CLOSE, fields: { fd: { fd: p } } }
  - { op: NOP, fields: { fd: { fd: p }, rw_flags: 2 } }
`)).toBe(false);
    const c = chain(`  - { op: OPENAT, fields: { fd: -100, addr: { path: f } } }
  - { op: CLOSE, fields: { fd: { fd: p } } }
  - { op: NOP, fields: { fd: { fd: p }, rw_flags: 2 } }
`);
    const p = predictWith(spec, host, c, false);
    expect(p.undetermined).toBe(false);
    expect(p.expect.cqes.find((q) => q.user_data === 3)!.res).toEqual({ eq: -9 });
  });
});
