import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCases } from '../corpus.js';
import { cacheDir, profileNamed, theSpec } from '../context.js';
import { prepareCase } from '../prepareCase.js';
import { buildKernel } from '../kernel/buildKernel.js';
import { collectCoverage, CoverageVm } from './collectCoverage.js';
import { guidedCampaign, runForSignal } from './guided.js';
import { CoverageSignal } from './signal.js';
import { baselineCoverage, runGcov } from './runGcov.js';
import { parseAppliedDiff } from './rfcLines.js';
import { coverageModel } from './coverageModel.js';
import type { Coverage } from './gcovJson.js';

// Builds (about 10 minutes on 2 cores, once per content hash) or reuses the coverage kernel, and boots it.
let entry: string | undefined;
beforeAll(async () => {
  entry = (await buildKernel({ coverage: true, cacheDir: cacheDir() })).dir;
}, 2_400_000);

describe('coverage in the GCOV kernel under QEMU', () => {
  it('attributes the CLONE not-head rejection to the one case that takes it', async () => {
    const spec = theSpec();
    const profile = profileNamed(spec, 'rfc-v1-6.12');
    const ids = ['spawn/clone-requires-link', 'spawn/clone-not-head', 'nop/plain-nop-succeeds'];
    const cases = loadCases(spec, ids.map((id) => `cases/${id}.yaml`)).map(({ id, c }) => prepareCase(spec, profile, id, c));
    const run = await collectCoverage(cases, { spec, bzImage: join(entry!, 'bzImage'), genInitCpio: join(entry!, 'gen_init_cpio'), cacheDir: cacheDir(), timeout: 20 });
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

  it('keeps the campaign chains that move a counter the cases did not, and grows chains from them', async () => {
    const spec = theSpec();
    const profile = profileNamed(spec, 'rfc-v1-6.12');
    const [nop, clone] = loadCases(spec, ['cases/nop/plain-nop-succeeds.yaml', 'cases/spawn/clone-not-head.yaml']).map(({ id, c }) => prepareCase(spec, profile, id, c));
    const vm = await CoverageVm.start({ spec, bzImage: join(entry!, 'bzImage'), genInitCpio: join(entry!, 'gen_init_cpio'), cacheDir: cacheDir(), timeout: 20 });
    try {
      const signal = new CoverageSignal();
      const first = await vm.run(nop!.form);
      expect(first.dump?.complete).toBe(true);
      signal.add(first.dump!);
      for (let i = 0; i < 3; i++) await runForSignal(vm, nop!.form, signal);
      // once warm, a NOP reaches next to nothing new (what timing does twice in a row), a CLONE a great deal
      const again = await runForSignal(vm, nop!.form, signal);
      const cloned = await runForSignal(vm, clone!.form, signal);
      expect(cloned.fresh).toBeGreaterThan(10 * again.fresh + 50);
      expect([...cloned.dump!.files.keys()].some((f) => f.endsWith('io_uring/spawn.gcda'))).toBe(true);
      // a program that submits as another user still gets its dump (gcovdump was forked while it was root)
      const [asUser] = loadCases(spec, ['cases/spawn/clone-create-failure.yaml']).map(({ id, c }) => prepareCase(spec, profile, id, c));
      expect(asUser!.c.credentials?.uid).toBeGreaterThan(0);
      expect((await vm.run(asUser!.form)).dump?.complete).toBe(true);
      const r = await guidedCampaign(vm, { spec, profile, seed: 11, timeSec: 20, chunk: 16, signal });
      expect(r.ran).toBeGreaterThan(r.seeds.length);
      for (const s of r.seeds) expect(s.fresh).toBeGreaterThan(0);
    } finally {
      await vm.stop();
    }
  }, 300_000);
});
