import { SQE_SLOT_BITS, type SqeSlot } from '../spec/types.js';
import type { CIntType } from './cInteger.js';

const SIGNED: ReadonlySet<SqeSlot> = new Set(['fd', 'rw_flags']);

/** The C type of each SQE slot in struct io_uring_sqe (rw_flags is __kernel_rwf_t, an int). */
export const SQE_SLOT_TYPES = Object.fromEntries(
  (Object.keys(SQE_SLOT_BITS) as SqeSlot[]).map((slot) => {
    const bits = SQE_SLOT_BITS[slot];
    const signed = SIGNED.has(slot);
    return [slot, { type: `__${signed ? 's' : 'u'}${bits}`, bits, signed }];
  }),
) as Record<SqeSlot, CIntType>;
