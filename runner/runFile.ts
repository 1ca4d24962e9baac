import { readFileSync, writeFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { EnvironmentError } from '../spec/load/inputError.js';
import type { Verdict } from './verdict.js';

/** What `run --json` writes and `report` and `merge` read. */
export interface RunFile {
  target: string;
  profile: string;
  /** `i/N` when the run was one shard of a larger one */
  shard?: string;
  /** how many cases the run (or shard) selected; fewer verdicts mean it was interrupted */
  total?: number;
  interrupted?: boolean;
  verdicts: Verdict[];
}

const schema = JSON.parse(readFileSync(new URL('./runFile.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv2020({ allErrors: false, strict: false }).compile(schema);

/** Reads a run file; anything else (not JSON, another tool's JSON) is one line naming the file and the field. */
export function readRunFile(path: string): RunFile {
  const what = `not a run written by "uringspec run --json"`;
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch (e) { throw new EnvironmentError(`${path}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`); }
  let data: unknown;
  try { data = JSON.parse(text); } catch (e) { throw new EnvironmentError(`${path}: ${what}: ${(e as Error).message.split('\n')[0]}`); }
  if (!validate(data)) {
    const err = validate.errors![0]!;
    throw new EnvironmentError(`${path}: ${what}: ${err.instancePath || '(top level)'} ${err.message}`);
  }
  return data as RunFile;
}

export function writeRunFile(path: string, run: RunFile): void {
  writeFileSync(path, `${JSON.stringify(run, null, 1)}\n`);
}
