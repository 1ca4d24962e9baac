import type { Case, RingSpec } from '../types.js';
import { setupRulesBroken, setupViolations } from '../setupFlags.js';
import type { InputError } from './inputError.js';
import type { YamlSource } from './yamlSource.js';

/** io_uring_setup() gives the SQ ring `entries` rounded up to a power of two (io_uring_fill_params / io_uring_create). */
export const sqEntries = (entries: number) => 2 ** Math.ceil(Math.log2(Math.max(1, entries)));

/**
 * Problems with a case's ring that would only show at run time: setup flags io_uring_setup() refuses,
 * and a batch that does not fit the SQ ring. `submitted` (what each io_uring_enter consumes, from the
 * oracle) tells how many SQEs a batch leaves behind for the next one.
 */
export function caseRingProblem(src: YamlSource, c: Case, ring: RingSpec, submitted?: number[]): InputError | undefined {
  // flags io_uring_setup() refuses make a case of the refusal (setup.* rules); a constraint without a rule cannot be stated
  const broken = setupViolations(ring, c.ring.flags ?? []);
  const stated = setupRulesBroken(ring, c.ring.flags ?? []);
  if (broken.length && !stated.length) return src.error(['ring', 'flags'], `io_uring_setup() refuses these flags (${broken.join('; ')}) and no setup rule of spec/ring.yaml says so`);
  if (stated.length) return undefined;
  const room = sqEntries(c.ring.entries);
  const batches = c.batches ?? [c.sqes.length];
  let waiting = 0;
  for (const [k, size] of batches.entries()) {
    waiting += size;
    if (waiting > room) {
      const which = batches.length > 1 ? `batch ${k + 1} puts ${waiting} SQEs` : `${waiting} SQEs are`;
      return src.error(['ring', 'entries'], `${which} in an SQ ring of ${room} entries (${c.ring.entries} rounded up to a power of two); io_uring_get_sqe() would fail`);
    }
    waiting -= submitted?.[k] ?? size;
  }
  return undefined;
}

/** A number in a case that JavaScript cannot hold exactly (YAML reads 9223372036854775000 as a double). */
export function inexactNumber(src: YamlSource, c: Case): InputError | undefined {
  for (const [i, sqe] of c.sqes.entries()) {
    for (const [slot, v] of Object.entries(sqe.fields ?? {})) {
      if (typeof v === 'number' && !Number.isSafeInteger(v)) {
        return src.error(['sqes', i, 'fields', slot], `${v} is not an exact integer (at most 2^53 - 1 in magnitude)`);
      }
    }
  }
  return undefined;
}
