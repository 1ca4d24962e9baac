import { readFileSync } from 'node:fs';
import { InputError } from '../load/inputError.js';

const schema = JSON.parse(readFileSync(new URL('../schema/case.schema.json', import.meta.url), 'utf8')) as {
  $defs: { caseId: { pattern: string; maxLength: number } };
};
const { pattern, maxLength } = schema.$defs.caseId;
/** What a case id may be, which is also what a KTAP description may hold (no `#`, no whitespace). */
export const CASE_ID = new RegExp(pattern, 'u');

/**
 * Checks a case id (its path under cases/, made from the file name) against `$defs.caseId` of
 * spec/schema/case.schema.json: the characters a KTAP test name may hold. A bad id is one line naming the file.
 */
export function checkCaseId(file: string, id: string): string {
  if (id.length > maxLength) throw new InputError(file, 1, 1, '(id)', `case id "${id}" is longer than ${maxLength} characters`);
  if (!CASE_ID.test(id)) {
    throw new InputError(file, 1, 1, '(id)', `case id ${JSON.stringify(id)} (the file's path) must match ${pattern}: rename the file`);
  }
  return id;
}
