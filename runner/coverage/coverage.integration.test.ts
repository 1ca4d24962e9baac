import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCases } from '../corpus.js';
import { cacheDir, profileNamed, theSpec } from '../context.js';
import { prepareCase } from '../prepareCase.js';
import { readSeries } from '../kernel/readSeries.js';
import { kernelPlan } from '../kernel/kernelPlan.js';
import { linuxSourceVersion } from '../kernel/linuxSource.js';
import { DEFAULT_SERIES } from '../kernel/defaultSeries.js';
import { collectCoverage } from './collectCoverage.js';
import { baselineCoverage, runGcov } from './runGcov.js';
import { parseAppliedDiff } from './rfcLines.js';
import { coverageModel } from './coverageModel.js';
import type { Coverage } from './gcovJson.js';

// Boots the cached coverage kernel (npx uringspec kernel build --coverage); skipped when it is not built.
const entry = await (async () => {
  try {
    const plan = kernelPlan(await readSeries(DEFAULT_SERIES), 'coverage', linuxSourceVersion());
    const dir = join(cacheDir(), 'kernel', plan.hash);
    return existsSync(join(dir, 'gcov', 'applied.diff')) ? dir : undefined;
  } catch {
    return undefined;
  }
})();

describe.skipIf(!entry)('coverage in the GCOV kernel under QEMU', () => {
  it('attributes the CLONE not-head rejection to the one case that takes it', async () => {
    const spec = theSpec();
    const profile = profileNamed(spec, 'rfc-v1-6.12');
    const ids = ['spawn/clone-requires-link', 'spawn/clone-not-head', 'nop/plain-nop-succeeds'];
    const cases = loadCases(spec, ids.map((id) => `cases/${id}.yaml`)).map(({ id, c }) => prepareCase(spec, profile, id, c));
    const run = await collectCoverage(cases, { bzImage: join(entry!, 'bzImage'), genInitCpio: join(entry!, 'gen_init_cpio'), cacheDir: cacheDir(), jobs: 2, timeout: 20 });
    const tree = JSON.parse(readFileSync(join(entry!, 'meta.json'), 'utf8')).tree;
    const perCase: [string, Coverage][] = [];
    for (const [id, dump] of run.dumps) {
      expect(dump?.complete, id).toBe(true);
      perCase.push([id, await runGcov(dump!, join(entry!, 'gcov'), tree)]);
    }
    // the NOP never enters spawn.c: gcovdump leaves the unchanged spawn.gcda out of its dump
    expect([...run.dumps.get('nop/plain-nop-succeeds')!.files.keys()].some((f) => f.endsWith('io_uring/spawn.gcda'))).toBe(false);
    const source = readFileSync(join(entry!, 'gcov', 'io_uring/spawn.c'), 'utf8').split('\n');
    const m = coverageModel({
      baseline: await baselineCoverage(join(entry!, 'gcov')), perCase, rfc: parseAppliedDiff(readFileSync(join(entry!, 'gcov', 'applied.diff'), 'utf8')),
      sources: new Map([['io_uring/spawn.c', source]]), rulesByFunction: new Map(), gaps: [],
    });
    const prep = m.files.find((f) => f.file === 'io_uring/spawn.c')!.functions.find((f) => f.name === 'io_clone_prep')!;
    const lineOf = (text: string, after: number) => source.findIndex((l, i) => i >= after && l.includes(text)) + 1;
    const head = lineOf('submit_state.link.head', 0);
    const row = (line: number) => prep.rows.find((r) => r.line === line)!;
    expect(row(head).reachedBy).toEqual(['spawn/clone-not-head']);
    expect(row(lineOf('return -EINVAL;', head)).reachedBy).toEqual(['spawn/clone-not-head']);
    expect(prep.cases).toEqual(['spawn/clone-requires-link', 'spawn/clone-not-head']);
  });
});
