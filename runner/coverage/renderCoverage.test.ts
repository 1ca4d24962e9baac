import { describe, expect, it } from 'vitest';
import { coverageModel } from './coverageModel.js';
import { renderCoverage } from './renderCoverage.js';
import { planted } from './testing.js';

const model = coverageModel({
  baseline: planted({ 'io_uring/spawn.c': { 2: [0, [0, 0], 'io_clone_prep'], 3: [0, [], 'io_clone_prep'], 5: [0, [], 'io_clone'], 6: [0, [], 'io_clone_prep'] }, 'io_uring/opdef.c': {} }),
  perCase: [
    ['clone-einval', planted({ 'io_uring/spawn.c': { 2: [1, [0, 1], 'io_clone_prep'], 3: [1, [], 'io_clone_prep'] } })],
    ['clone-ok', planted({ 'io_uring/spawn.c': { 2: [1, [0, 1], 'io_clone_prep'] } })],
    ['nop', planted({})],
  ],
  rfc: new Map([['io_uring/spawn.c', [{ start: 1, end: 6, added: [1, 2, 3, 4, 5, 6], created: true }]], ['io_uring/opdef.c', [{ start: 9, end: 9, added: [9] }]]]),
  sources: new Map([['io_uring/spawn.c', ['', '\tif (sqe->fd | x)', '\t\treturn -EINVAL;', '}', '\tio_uring_spawn(req);', '\treturn -EBUSY;']]]),
  rulesByFunction: new Map([['io_clone_prep', ['clone.prep.fields-zero']]]),
  gaps: [{ file: 'io_uring/spawn.c', function: 'io_clone', reason: 'no case makes the spawn task fail' }],
});
const md = renderCoverage(model, { command: 'npx uringspec coverage --out x.md', kernel: 'abc (coverage)', profile: 'rfc-v1-6.12', incomplete: [['nop', 'no @@gcov-end frame']] });

describe('renderCoverage', () => {
  it('summarises per file and per function', () => {
    expect(md).toContain('| `io_uring/spawn.c` | the whole file is new (6 lines) | 6 | 4 | 2/4 (50%) | 1/2 (50%) |');
    expect(md).toContain('| `io_uring/opdef.c` | line 9 | 1 | 0 | no code (declarations or data) | - |');
    expect(md).not.toContain('## `io_uring/opdef.c`');
    expect(md).toContain('| `io_clone_prep` | 2/3 (67%) | 1/2 (50%) | 2 |');
    expect(md).toContain('lines 2/3 (67%), branches 1/2 (50%); reached by 2 cases: clone-einval, clone-ok');
  });

  it('names the only case that reached a line, the branches not taken, and the rules near a line never reached', () => {
    expect(md).toContain('- `io_uring/spawn.c:3` `return -EINVAL;` — clone-einval\n');
    expect(md).toContain('- `io_uring/spawn.c:2` `if (sqe->fd \\| x)` — 1 of 2 taken');
    expect(md).toContain('Never reached (nearest rules, citing this function: `clone.prep.fields-zero`):\n\n- `io_uring/spawn.c:6` `return -EBUSY;`\n');
    expect(md).toContain('Never reached (no rule cites this function):\n\n- `io_uring/spawn.c:5` `io_uring_spawn(req);` — not expressible yet: no case makes the spawn task fail\n');
  });

  it('tables every RFC line of a function with the cases that ran it', () => {
    expect(md).toContain('| 2 | `if (sqe->fd \\| x)` | clone-einval, clone-ok | 1/2 |\n| 3 | `return -EINVAL;` | clone-einval | - |\n| 6 | `return -EBUSY;` | none | - |');
  });

  it('lists what no case reached and no gap explains as cases to add', () => {
    const todo = md.slice(md.indexOf('## Reachable but not reached'), md.indexOf('## Not expressible yet'));
    expect(todo).toContain('- `io_uring/spawn.c:2` `if (sqe->fd \\| x)` in `io_clone_prep`: 1 of 2 branches not taken');
    expect(todo).toContain('- `io_uring/spawn.c:6` `return -EBUSY;` in `io_clone_prep`: never reached; nearest rules, citing this function: `clone.prep.fields-zero`');
    expect(todo).not.toContain('spawn.c:5');
  });

  it('lists the known gaps and the cases whose dump was lost', () => {
    expect(md).toContain('## Not expressible yet');
    expect(md).toContain('- `io_uring/spawn.c` `io_clone`, line 5: no case makes the spawn task fail');
    expect(md).toContain('- nop: no @@gcov-end frame');
  });
});
