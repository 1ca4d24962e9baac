import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Case, Spec } from '../../spec/types.js';
import { writeCase } from '../../spec/case/writeCase.js';
import { prepareCase } from '../prepareCase.js';
import type { Verdict } from '../verdict.js';
import { isFailure, type FuzzTarget } from './target.js';
import type { Shrunk } from './shrink.js';

export interface Kept {
  name: string;
  /** the standalone reproducer's verdict */
  standalone: Verdict;
  /** it failed the same way standalone, so it was written */
  reproduced: boolean;
  files: string[];
}

/**
 * Re-runs a shrunk failure through its standalone C reproducer on the same target; only one that
 * fails the same way there is kept, as <out>/<name>.yaml (the case, with the oracle's expectation)
 * and <out>/<name>.c (its reproducer), with the seed, path and command that replay it.
 */
export async function keep(spec: Spec, target: FuzzTarget, s: Shrunk, o: { seed: number; out: string; replay: string }): Promise<Kept> {
  const name = `fuzz-${o.seed}-${s.path.replace(/:/g, '-')}`;
  const c: Case = {
    ...s.c,
    description: `found by fuzz: ${s.c.description}`,
    provenance: { kind: 'found', seed: o.seed, path: s.path, note: o.replay },
  };
  const pc = prepareCase(spec, target.profile, `found/${name}`, c);
  const standalone = await target.standalone(pc);
  const reproduced = isFailure(standalone) && standalone.kind === s.verdict.kind;
  if (!reproduced) return { name, standalone, reproduced, files: [] };
  if (!existsSync(o.out)) mkdirSync(o.out, { recursive: true });
  const files = [join(o.out, `${name}.yaml`), join(o.out, `${name}.c`)];
  writeFileSync(files[0]!, writeCase({ ...c, expect: pc.c.expect }));
  writeFileSync(files[1]!, pc.source);
  return { name, standalone, reproduced, files };
}
