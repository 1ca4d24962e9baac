import type { ProfileSpec } from '../../spec/types.js';
import type { PreparedCase } from '../prepareCase.js';
import type { Verdict } from '../verdict.js';

/** Where fuzzed chains run: an executor that stays up, and the standalone path that confirms a failure. */
export interface FuzzTarget {
  /** "host", or "qemu <bzImage>" */
  name: string;
  profile: ProfileSpec;
  /** runs a chain on the live executor */
  run(pc: PreparedCase): Promise<Verdict>;
  /** programs the executor may hold at once (sent ahead of the one running) */
  window: number;
  /** runs a chain's standalone C reproducer, compiled on its own, as `uringspec run` would */
  standalone(pc: PreparedCase): Promise<Verdict>;
  stop(): Promise<void>;
}

/** A verdict that fails the property: anything but pass, skip and a matched known divergence. */
export const isFailure = (v: Verdict): boolean => !['pass', 'skip', 'xfail'].includes(v.kind);
