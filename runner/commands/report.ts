import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { EnvironmentError } from '../../spec/load/inputError.js';
import { progress, theSpec } from '../context.js';
import { renderReport } from '../docs/renderReport.js';
import type { Verdict } from '../verdict.js';

export async function reportCommand(o: { from: string; out: string }): Promise<void> {
  let run: { target: string; profile: string; verdicts: Verdict[] };
  try {
    run = JSON.parse(readFileSync(o.from, 'utf8'));
  } catch (e) {
    throw new EnvironmentError(`${o.from}: not a run written by "uringspec run --json": ${(e as Error).message.split('\n')[0]}`);
  }
  mkdirSync(dirname(o.out), { recursive: true });
  writeFileSync(o.out, renderReport(theSpec(), run));
  progress(`wrote ${o.out}`);
}
