import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../spec/load/loadSpec.js';
import type { Case } from '../../spec/types.js';
import { predictWith } from './predict.js';

const spec = loadSpec();
const rfc = spec.profiles['rfc-v1-6.12']!;
const chain = (addr: Case['sqes'][number]['fields']): Case => ({
  description: 'CLONE -> WRITE -> EXEC', rules: ['spawn.member.cqe-before-next'], provenance: { kind: 'hand-written' }, flags: ['vm-only'],
  ring: { entries: 4 }, fixtures: { p0: { kind: 'pipe' }, h: { kind: 'exec-helper', exit: 0 } },
  sqes: [
    { op: 'CLONE', flags: ['IOSQE_IO_LINK'] },
    { op: 'WRITE', flags: ['IOSQE_IO_HARDLINK'], fields: { fd: { fd: 'p0', end: 'w' }, len: 1, ...addr } },
    { op: 'EXEC', fields: { fd: -100, addr: { path: 'h' }, addr2: { argv: ['helper'] } } },
  ],
});

describe('spawn.member.cqe-before-next and task_work outcomes', () => {
  it('orders a failed WRITE before the EXEC by the intended rule, and not on RFC v1, which posts it from task work', () => {
    const failing = chain({ addr: 0 });
    expect(predictWith(spec, rfc, failing, false).expect.order).toContainEqual([2, 3]);
    const observed = predictWith(spec, rfc, failing, true);
    expect(observed.expect.order).not.toContainEqual([2, 3]);
    expect(observed.divergences).toContain('rfc-v1.task-work-member-posts-last');
  });

  it('keeps the order of a WRITE that completes inline, on RFC v1 too', () => {
    const ok = chain({ addr: { buf: 1 } });
    expect(predictWith(spec, rfc, ok, true).expect.order).toContainEqual([2, 3]);
    expect(predictWith(spec, rfc, ok, true).divergences).not.toContain('rfc-v1.task-work-member-posts-last');
  });
});
