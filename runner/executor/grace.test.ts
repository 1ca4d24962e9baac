import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../spec/load/loadSpec.js';
import { loadCases } from '../corpus.js';
import { prepareCase } from '../prepareCase.js';
import { graceFor } from './grace.js';

const spec = loadSpec();
const profile = spec.profiles['rfc-v1-6.12']!;
const form = (id: string) => {
  const found = loadCases(spec).find((c) => c.id === id)!;
  return prepareCase(spec, profile, id, found.c).form;
};

describe('graceFor', () => {
  it('waits no CQE grace when every expected CQE is awaited, and keeps the task grace for a spawn chain', () => {
    expect(graceFor(form('spawn/clone-exec-helper'), 5)).toEqual({ cqeMs: 0, taskMs: 5 });
    expect(graceFor(form('nop/plain-nop-succeeds'), 5)).toEqual({ cqeMs: 0, taskMs: 5 });
  });

  it('waits the CQE grace when a CQE must not come', () => {
    const f = form('nop/plain-nop-succeeds');
    const absent = { ...f, want: { ...f.want, cqes: [...f.want.cqes, { user_data: 9, res: { absent: true as const } }] } };
    expect(graceFor(absent as typeof f, 5).cqeMs).toBe(5);
  });
});
