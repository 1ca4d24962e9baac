import { describe, expect, it } from 'vitest';
import { coverageModel, type ModelInput } from './coverageModel.js';
import { planted } from './testing.js';

// spawn.c is new (lines 1-6); fork.c has one RFC hunk (lines 20-21) inside copy_process.
const input = (perCase: ModelInput['perCase']): ModelInput => ({
  baseline: planted({
    'io_uring/spawn.c': { 2: [0, [], 'io_clone_prep'], 3: [0, [0, 0], 'io_clone_prep'], 4: [0, [], 'io_clone_prep'], 6: [0, [], 'io_clone'] },
    'kernel/fork.c': { 19: [0, [], 'copy_process'], 20: [0, [0, 0], 'copy_process'], 30: [0, [], 'copy_process'] },
  }),
  perCase,
  rfc: new Map([
    ['io_uring/spawn.c', [{ start: 1, end: 6, added: [1, 2, 3, 4, 5, 6], created: true }]],
    ['kernel/fork.c', [{ start: 20, end: 21, added: [20, 21] }]],
  ]),
  sources: new Map([['io_uring/spawn.c', ['#include', 'int io_clone_prep(x)', '\tif (x)', '\t\treturn -EINVAL;', '}', '\treturn io_clone();']]]),
  rulesByFunction: new Map([['io_clone', ['clone.issue.a']], ['io_clone_prep', ['clone.prep.a', 'clone.prep.b']]]),
  gaps: [{ file: 'io_uring/spawn.c', function: 'io_clone', reason: 'needs a task that cannot be created' }],
});

describe('coverageModel', () => {
  it('attributes a line reached by one case only to that case', () => {
    const m = coverageModel(input([
      ['nop-plain', planted({ 'kernel/fork.c': { 20: [1, [1, 0], 'copy_process'] } })],
      ['clone-einval', planted({ 'io_uring/spawn.c': { 2: [1, [], 'io_clone_prep'], 3: [1, [0, 1], 'io_clone_prep'], 4: [1, [], 'io_clone_prep'] }, 'kernel/fork.c': { 20: [2, [1, 1], 'copy_process'] } })],
      ['clone-ok', planted({ 'io_uring/spawn.c': { 2: [3, [], 'io_clone_prep'], 3: [3, [3, 0], 'io_clone_prep'] } })],
    ]));
    const spawn = m.files.find((f) => f.file === 'io_uring/spawn.c')!;
    const prep = spawn.functions.find((f) => f.name === 'io_clone_prep')!;
    const row = (n: number) => prep.rows.find((r) => r.line === n)!;
    expect(row(4)).toMatchObject({ reachedBy: ['clone-einval'], count: 1, text: '\t\treturn -EINVAL;' });
    expect(row(2).reachedBy).toEqual(['clone-einval', 'clone-ok']);
    expect(row(3).branches).toEqual({ total: 2, reached: 2 });
    expect(prep).toMatchObject({ lines: { total: 3, reached: 3 }, branches: { total: 2, reached: 2 }, cases: ['clone-einval', 'clone-ok'] });
    expect(spawn).toMatchObject({ newFile: true, rfcLines: 6, lines: { total: 4, reached: 3 } });
  });

  it('gives unreached lines the rules citing their function, and checks the known gaps against the counts', () => {
    const m = coverageModel(input([['nop-plain', planted({})]]));
    const spawn = m.files.find((f) => f.file === 'io_uring/spawn.c')!;
    const clone = spawn.functions.find((f) => f.name === 'io_clone')!;
    expect(clone.rows).toEqual([expect.objectContaining({ line: 6, reachedBy: [], rules: ['clone.issue.a'], gap: 'needs a task that cannot be created' })]);
    expect(m.gaps).toEqual([expect.objectContaining({ function: 'io_clone', lines: [6], reachedNow: [] })]);
    const reached = (gap: ModelInput['gaps'][0]) => coverageModel({ ...input([['x', planted({ 'io_uring/spawn.c': { 6: [1, [], 'io_clone'] } })]]), gaps: [gap] }).gaps[0];
    expect(reached({ file: 'io_uring/spawn.c', function: 'io_clone', match: 'io_clone()', reason: 'r' })).toMatchObject({ lines: [6], reachedNow: [6] });
    expect(reached({ file: 'io_uring/spawn.c', function: 'io_clone', reason: 'r' })).toMatchObject({ lines: [], reachedNow: [] });
  });

  it('checks a branch gap against the branches taken, not the line', () => {
    const gap = { file: 'io_uring/spawn.c', function: 'io_clone_prep', match: 'if (x)', branches: true, reason: 'r' };
    const run = (branches: number[]) => coverageModel({ ...input([['a', planted({ 'io_uring/spawn.c': { 3: [1, branches, 'io_clone_prep'] } })]]), gaps: [gap] });
    const half = run([1, 0]);
    expect(half.gaps[0]).toMatchObject({ lines: [3], reachedNow: [] });
    expect(half.files.find((f) => f.file === 'io_uring/spawn.c')!.functions[0].rows.find((r) => r.line === 3)!.gap).toBe('r');
    expect(run([1, 1]).gaps[0]).toMatchObject({ lines: [3], reachedNow: [3] });
  });

  it('counts only the RFC lines of a hunk inside an old function', () => {
    const fork = coverageModel(input([])).files.find((f) => f.file === 'kernel/fork.c')!;
    expect(fork).toMatchObject({ newFile: false, rfcLines: 2, lines: { total: 1, reached: 0 }, branches: { total: 2, reached: 0 } });
    expect(fork.functions.map((f) => f.name)).toEqual(['copy_process']);
  });
});
