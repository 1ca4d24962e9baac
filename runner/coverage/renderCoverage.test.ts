import { describe, expect, it } from 'vitest';
import { coverageModel } from './coverageModel.js';
import { renderCoverage } from './renderCoverage.js';
import { planted } from './testing.js';

const model = coverageModel({
  baseline: planted({ 'io_uring/spawn.c': { 2: [0, [0, 0], 'io_clone_prep'], 3: [0, [], 'io_clone_prep'], 5: [0, [], 'io_clone'] } }),
  perCase: [
    ['clone-einval', planted({ 'io_uring/spawn.c': { 2: [1, [0, 1], 'io_clone_prep'], 3: [1, [], 'io_clone_prep'] } })],
    ['clone-ok', planted({ 'io_uring/spawn.c': { 2: [1, [0, 1], 'io_clone_prep'] } })],
    ['nop', planted({})],
  ],
  rfc: new Map([['io_uring/spawn.c', [{ start: 1, end: 5, added: [1, 2, 3, 4, 5], created: true }]]]),
  sources: new Map([['io_uring/spawn.c', ['', '\tif (sqe->fd | x)', '\t\treturn -EINVAL;', '}', '\tio_uring_spawn(req);']]]),
  rulesByFunction: new Map([['io_clone_prep', ['clone.prep.fields-zero']]]),
  gaps: [{ file: 'io_uring/spawn.c', function: 'io_clone', reason: 'no case makes the spawn task fail' }],
});
const md = renderCoverage(model, { command: 'npx uringspec coverage --out x.md', kernel: 'abc (coverage)', profile: 'rfc-v1-6.12', incomplete: [['nop', 'no @@gcov-end frame']] });

describe('renderCoverage', () => {
  it('summarises per file and per function', () => {
    expect(md).toContain('| `io_uring/spawn.c` | the whole file is new (5 lines) | 5 | 3 | 2/3 (67%) | 1/2 (50%) |');
    expect(md).toContain('| `io_clone_prep` | 2/2 (100%) | 1/2 (50%) | 2 |');
    expect(md).toContain('lines 2/2 (100%), branches 1/2 (50%); reached by 2 cases: clone-einval, clone-ok');
  });

  it('names the only case that reached a line, the branches not taken, and the rules near a line never reached', () => {
    expect(md).toContain('- `io_uring/spawn.c:3` `return -EINVAL;` — clone-einval\n');
    expect(md).toContain('- `io_uring/spawn.c:2` `if (sqe->fd \\| x)` — 1 of 2 taken');
    expect(md).toContain('- `io_uring/spawn.c:5` `io_uring_spawn(req);` — no rule cites this function; not expressible yet: no case makes the spawn task fail');
  });

  it('lists the known gaps and the cases whose dump was lost', () => {
    expect(md).toContain('## Not expressible yet');
    expect(md).toContain('- `io_uring/spawn.c` `io_clone`, line 5: no case makes the spawn task fail');
    expect(md).toContain('- nop: no @@gcov-end frame');
  });
});
