import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { progress, theSpec } from '../context.js';
import { renderReport } from '../docs/renderReport.js';
import { checkOutputFile } from '../options/checkOutput.js';
import { readRunFile } from '../runFile.js';

/** Turns a `run --json` file into the conformance report; an existing --out is kept unless --force. */
export async function reportCommand(o: { from: string; out: string; force?: boolean }): Promise<void> {
  checkOutputFile('--out', o.out, { refuseExisting: true, force: o.force ?? false });
  const run = readRunFile(o.from);
  mkdirSync(dirname(o.out), { recursive: true });
  writeFileSync(o.out, renderReport(theSpec(), run));
  progress(`wrote ${o.out}`);
}
