import { describe, expect, it } from 'vitest';
import { enclosingFunction } from './enclosingFunction.js';

const src = [
  'static inline void req_set_fail(struct io_kiocb *req)',
  '{',
  '\treq->flags |= REQ_F_FAIL;',
  '}',
  '',
  'static inline void req_fail_link_node(struct io_kiocb *req,',
  '\t\t\t\t      int res)',
  '{',
  '\treq_set_fail(req);',
  '\tio_req_set_res(req, res, 0);',
  '}',
  'int x;',
];

describe('enclosingFunction', () => {
  it('finds the function a body line belongs to, with a signature over two lines', () => {
    expect(enclosingFunction(src, 9)).toBe('req_fail_link_node');
    expect(enclosingFunction(src, 11)).toBe('req_fail_link_node');
    expect(enclosingFunction(src, 3)).toBe('req_set_fail');
  });

  it('gives nothing outside a function', () => {
    expect(enclosingFunction(src, 12)).toBeUndefined();
  });
});
