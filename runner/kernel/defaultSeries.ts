import { join } from 'node:path';
import { EnvironmentError } from '../../spec/load/inputError.js';

/** The RFC series kept in the repo (git format-patch files made from the thread page): the default everywhere. */
export const DEFAULT_SERIES = join(import.meta.dirname, 'series', 'io_uring-spawn-rfc-v1');

/** Where to get the thread and what to run, in one line (the README says the same). */
export const SERIES_HELP =
  'get the thread "[PATCH RFC 0/9] Launching processes with io_uring" (2024-12-09) from https://lore.kernel.org/io-uring/ ' +
  '(`b4 mbox <message-id>`, or save the thread page) and run `npx uringspec kernel build --series <file>`';

/** The one-line error when there is no series to build from and no kernel was given. */
export function seriesMissing(path: string): EnvironmentError {
  return new EnvironmentError(`no kernel and no patch series at ${path}: ${SERIES_HELP}, or give --kernel <bzImage>`);
}
