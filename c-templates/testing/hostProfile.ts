import type { ProfileSpec } from '../../spec/types.js';

/** A host profile for the renderer's tests; UNSUPPORTED is an opcode no kernel has. */
export const hostProfile: ProfileSpec = {
  name: 'host',
  description: 'the kernel the tests run on',
  kernel: 'host',
  opcodes: { NOP: 0, READ: 22, WRITE: 23, OPENAT: 18, CLOSE: 19, TIMEOUT: 11, LINK_TIMEOUT: 15, UNSUPPORTED: 255 },
  setup_flags: ['IORING_SETUP_SUBMIT_ALL', 'IORING_SETUP_COOP_TASKRUN'],
  features: {},
  target: 'host',
};
