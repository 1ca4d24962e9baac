import { describe, expect, it } from 'vitest';
import { loadSpec } from './load/loadSpec.js';
import { setupViolations } from './setupFlags.js';

const { ring } = loadSpec();

describe('setupViolations follows io_uring_setup() (checked on the 6.18 host, read in 6.12 io_uring_create())', () => {
  it.each([
    [['IORING_SETUP_SQPOLL', 'IORING_SETUP_COOP_TASKRUN'], 1],
    [['IORING_SETUP_SQPOLL', 'IORING_SETUP_COOP_TASKRUN', 'IORING_SETUP_TASKRUN_FLAG'], 2],
    [['IORING_SETUP_SQPOLL', 'IORING_SETUP_SINGLE_ISSUER', 'IORING_SETUP_DEFER_TASKRUN'], 1],
    [['IORING_SETUP_TASKRUN_FLAG'], 1],
    [['IORING_SETUP_DEFER_TASKRUN'], 1],
  ])('refuses %j', (flags, n) => {
    expect(setupViolations(ring, flags)).toHaveLength(n);
  });
  it.each([
    [[]],
    [['IORING_SETUP_SQPOLL', 'IORING_SETUP_SINGLE_ISSUER']],
    [['IORING_SETUP_TASKRUN_FLAG', 'IORING_SETUP_COOP_TASKRUN']],
    [['IORING_SETUP_TASKRUN_FLAG', 'IORING_SETUP_SINGLE_ISSUER', 'IORING_SETUP_DEFER_TASKRUN']],
    [['IORING_SETUP_COOP_TASKRUN', 'IORING_SETUP_SINGLE_ISSUER', 'IORING_SETUP_DEFER_TASKRUN']],
  ])('accepts %j', (flags) => {
    expect(setupViolations(ring, flags)).toEqual([]);
  });
});
