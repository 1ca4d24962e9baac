import type { Case } from '../types.js';

/** The largest user_data a case may choose: results travel as JSON numbers, exact up to 2^53 - 1. */
export const MAX_USER_DATA = Number.MAX_SAFE_INTEGER;

/** The user_data of the SQE at index: the one the case chose, else its position (1, 2, ...). */
export const userDataOf = (c: Pick<Case, 'sqes'>, index: number): number => c.sqes[index]!.user_data ?? index + 1;

/** Every SQE's user_data, in SQ order. */
export const userDataList = (c: Pick<Case, 'sqes'>): number[] => c.sqes.map((_, i) => userDataOf(c, i));

/** A user_data no SQE of the case has, nor any of `taken` (CQEs posted for no SQE): for the request submitted after the chain. */
export function freeUserData(c: Pick<Case, 'sqes'>, taken: Iterable<number> = []): number {
  const used = new Set([...userDataList(c), ...taken]);
  let ud = c.sqes.length + 1;
  while (used.has(ud)) ud++;
  return ud;
}
