import { describe, expect, it } from 'vitest';
import { citedFunctions, rulesByFunction } from './ruleIndex.js';

describe('rulesByFunction', () => {
  it('reads function names from sources, not calls inside quoted code', () => {
    expect(citedFunctions('RFC 7/9 io_clone(): IS_ERR(tsk) -> io_req_set_res(req, PTR_ERR(tsk)); kernel/fork.c copy_process() RLIMIT_NPROC')).toEqual(['io_clone', 'copy_process']);
  });

  it('indexes every rule under each function it cites', () => {
    const idx = rulesByFunction([
      { id: 'clone.prep.b', statement: '', source: 'RFC 7/9 io_clone_prep(): ...' },
      { id: 'clone.prep.a', statement: '', source: 'io_clone_prep() and io_clone()' },
      { id: 'nop.x', statement: '', source: 'liburing test/nop.c' },
    ]);
    expect(idx.get('io_clone_prep')).toEqual(['clone.prep.a', 'clone.prep.b']);
    expect(idx.get('io_clone')).toEqual(['clone.prep.a']);
    expect(idx.size).toBe(2);
  });
});
