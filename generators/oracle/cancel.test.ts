import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../spec/load/loadSpec.js';
import { parseCase } from '../../spec/case/parseCase.js';
import { readFileSync } from 'node:fs';
import { predict, predictWith } from './predict.js';
import type { Spec } from '../../spec/types.js';

const spec = loadSpec();
const profile = spec.profiles['upstream-6.18']!;
const load = (id: string) => parseCase(`cases/${id}.yaml`, readFileSync(`cases/${id}.yaml`, 'utf8'), spec);
const res = (c: ReturnType<typeof load>, s: Spec, ud: number) => predict(s, profile, c).cqes.find((q) => q.user_data === ud)!.res;

/** The spec without any `cancel` effect: what the oracle would say if it ignored the cancel. */
function withoutCancels(s: Spec): Spec {
  const ops = Object.fromEntries(Object.entries(s.ops).map(([k, op]) => [k, {
    ...op, issue: op.issue.map((r) => ({ ...r, effects: (r.effects ?? []).filter((e) => !('cancel' in e)) })),
  }]));
  return { ...s, ops };
}

describe('cancel by user_data (an effect the YAML states)', () => {
  it('completes the waiting request with the effect\'s res and fails its link', () => {
    const c = load('poll-remove/removes-waiting-poll');
    expect(res(c, spec, 1)).toEqual({ eq: -125 });
    expect(res(c, spec, 2)).toEqual({ eq: -125 });
    expect(res(c, spec, 3)).toEqual({ eq: 0 });
  });

  it('is what moves the target: without the effect the same case predicts a request that still waits', () => {
    const c = load('poll-remove/removes-waiting-poll');
    expect(res(c, withoutCancels(spec), 1)).toEqual({ pending: true });
  });

  it('finds only requests that were issued and wait, and marks a target armed from io-wq as undetermined', () => {
    const c = load('poll-remove/held-member-not-found');
    expect(res(c, spec, 3)).toEqual({ eq: -2 });
    const racy = { ...c, sqes: c.sqes.map((q, i) => (i === 0 ? { ...q, flags: [...(q.flags ?? []), 'IOSQE_ASYNC'] } : q)) };
    expect(predictWith(spec, profile, racy, false).undetermined).toBe(true);
    expect(predictWith(spec, profile, c, false).undetermined).toBe(false);
  });

  it('finds an armed timer of the same submission, not one its own link waited for', () => {
    const armed = load('timeout-remove/removes-armed-timeout');
    expect(res(armed, spec, 1)).toEqual({ eq: -125 });
    expect(res(armed, withoutCancels(spec), 1)).toEqual({ eq: -62 });
    const after = load('timeout-remove/after-its-timeout-in-link');
    expect(res(after, spec, 1)).toEqual({ eq: -62 });
    expect(res(after, spec, 2)).toEqual({ eq: -2 });
  });

  it('leaves a cancel of a request that may still sit in io-wq undetermined', () => {
    const c = load('async-cancel/not-found-breaks-link');
    expect(predictWith(spec, profile, c, false).undetermined).toBe(false);
    const queued = { ...c, sqes: c.sqes.map((q, i) => (i === 0 ? { ...q, flags: ['IOSQE_ASYNC'] } : q)) };
    expect(predictWith(spec, profile, queued, false).undetermined).toBe(true);
  });
});

describe('a cancel of a CLONE sent to io-wq (chain.async.same-result)', () => {
  const rfc = spec.profiles['rfc-v1-6.12']!;
  const chain = (flags: ('IOSQE_IO_LINK' | 'IOSQE_ASYNC')[]) => parseCase('cases/spawn/x.yaml', [
    'description: d', 'rules: [chain.async.same-result]', 'flags: [vm-only]', 'provenance: { kind: hand-written }', 'ring: { entries: 8 }',
    'fixtures: { h: { kind: exec-helper, exit: 3 } }', 'sqes:',
    `  - { op: CLONE, flags: [${flags.join(', ')}] }`,
    '  - { op: EXEC, fields: { fd: -100, addr: { path: h }, addr2: { argv: [h] } } }',
    '  - { op: ASYNC_CANCEL, fields: { addr: 1 } }',
  ].join('\n'), spec);
  it('leaves what a cancel later in the submission finds to the race, as for any request in io-wq', () => {
    expect(predictWith(spec, rfc, chain(['IOSQE_IO_LINK', 'IOSQE_ASYNC']), false).undetermined).toBe(true);
    // issued inline, the CLONE is done before the cancel runs: -ENOENT
    const inline = predictWith(spec, rfc, chain(['IOSQE_IO_LINK']), false);
    expect(inline.undetermined).toBe(false);
    expect(inline.expect.cqes.find((q) => q.user_data === 3)!.res).toEqual({ eq: -2 });
  });
});
