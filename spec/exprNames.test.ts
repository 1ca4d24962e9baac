import { describe, expect, it } from 'vitest';
import { exprNames } from './expr.js';

describe('exprNames', () => {
  it('finds names evaluation would skip (and, or, if short-circuit), but not string contents', () => {
    expect(exprNames('if ts.present then -EINVAL else -EFAULT')).toEqual({ names: ['ts.present', 'EINVAL', 'EFAULT'], calls: [] });
    expect(exprNames('sqe.link and band(sqe.rw_flags, bnot(A + B)) != 0 or fd.kind == "pipe.r"')).toEqual({ names: ['sqe.link', 'sqe.rw_flags', 'A', 'B', 'fd.kind'], calls: ['band', 'bnot'] });
  });
});
