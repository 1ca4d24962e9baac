import { EnvironmentError, InputError } from '../spec/load/inputError.js';
import { INTERRUPT_EXIT, Interrupted } from './interrupt.js';
import type { Tally } from './verdict.js';

/** The exit policy, in one place: 0 all good, 1 failures, 2 usage or input errors, 130 interrupted. */
export function exitCodeFor(outcome: { tally?: Tally; error?: unknown; interrupted?: boolean }): number {
  if (outcome.interrupted || outcome.error instanceof Interrupted) return INTERRUPT_EXIT;
  if (outcome.error !== undefined) return 2;
  if (outcome.tally && outcome.tally.failed > 0) return 1;
  return 0;
}

export function isInputProblem(e: unknown): e is InputError | EnvironmentError {
  return e instanceof InputError || e instanceof EnvironmentError;
}
