import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, copyFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { ensureDeps } from './ensureDeps.js';
import { linuxSource, linuxSourceVersion } from './linuxSource.js';
import { applySeries } from './applySeries.js';
import { configureKernel } from './configureKernel.js';
import { runChecked } from './runCommand.js';
import { withLock } from './cacheLock.js';
import { defaultCacheDir } from './cacheDir.js';
import { kernelPlan, type KernelPlan, type KernelVariant } from './kernelPlan.js';
import { BuildProgress } from './buildProgress.js';
import { expectedObjects } from './objectCount.js';
import { interruptible } from './interruptible.js';
import { COVERAGE_MAKEFILE_LINES } from './coverageProfile.js';
import { saveCoverageFiles, savePristine, touchedFiles } from './coverageFiles.js';
import { DEFAULT_SERIES, seriesMissing } from './defaultSeries.js';
import { readSeries } from './readSeries.js';
import { applyExtraPatches, readExtraPatches } from './extraPatches.js';

export { defaultCacheDir };

export interface KernelBuildOptions {
  series?: string; debug?: boolean; coverage?: boolean; cacheDir?: string; onProgress?: (line: string) => void;
  /** patch files of the user's, applied in order after the series; their diffs enter the cache key */
  extraPatches?: string[];
}
export interface KernelBuild {
  bzImage: string;
  genInitCpio: string;
  hash: string;
  cached: boolean;
  /** The cache entry: bzImage, gen_init_cpio, config, meta.json, and gcov/ for the coverage variant. */
  dir: string;
  variant: KernelVariant;
}

function cachedBuild(dir: string, plan: KernelPlan): KernelBuild | undefined {
  const bzImage = join(dir, 'bzImage');
  const genInitCpio = join(dir, 'gen_init_cpio');
  const complete = existsSync(bzImage) && existsSync(genInitCpio) && (plan.variant !== 'coverage' || existsSync(join(dir, 'gcov', 'applied.diff')));
  return complete ? { bzImage, genInitCpio, hash: plan.hash, cached: true, dir, variant: plan.variant } : undefined;
}

/** Builds (or finds in the cache) the reference kernel: linux-source-6.12 plus the RFC series. */
export async function buildKernel(o: KernelBuildOptions): Promise<KernelBuild> {
  const say = o.onProgress ?? (() => {});
  const series = o.series ?? DEFAULT_SERIES;
  if (!o.series && !existsSync(series)) throw seriesMissing(series);
  const variant: KernelVariant = o.coverage ? 'coverage' : o.debug ? 'debug' : 'plain';
  const extra = readExtraPatches(o.extraPatches ?? []);
  const read = await readSeries(series);
  await ensureDeps(say);
  const plan = kernelPlan(read, variant, linuxSourceVersion(), extra);
  const cache = o.cacheDir ?? defaultCacheDir();
  const outDir = join(cache, 'kernel', plan.hash);
  const hit = cachedBuild(outDir, plan);
  if (hit) return hit;
  mkdirSync(join(cache, 'kernel'), { recursive: true });
  const buildDir = join(cache, `build-${plan.hash}`);
  const staging = `${outDir}.tmp-${process.pid}`;
  let locked = false;
  // Only while we hold the lock: a process waiting for it must not remove the holder's tree.
  const removeAll = () => {
    if (!locked) return;
    for (const d of [staging, buildDir]) rmSync(d, { recursive: true, force: true, maxRetries: 3 });
    rmSync(`${outDir}.lock`, { force: true });
  };
  return interruptible(say, `kernel build ${plan.hash}`, removeAll, (abort) =>
    withLock(`${outDir}.lock`, (pid) => say(`waiting for build ${plan.hash} held by pid ${pid}`), async () => {
      locked = true;
      const again = cachedBuild(outDir, plan);
      if (again) return again;
      try {
        await build(plan, series, cache, buildDir, staging, abort, say);
        renameSync(staging, outDir);
        say(`kernel ${plan.hash} -> ${outDir}`);
        return { bzImage: join(outDir, 'bzImage'), genInitCpio: join(outDir, 'gen_init_cpio'), hash: plan.hash, cached: false, dir: outDir, variant };
      } finally {
        rmSync(staging, { recursive: true, force: true });
        rmSync(buildDir, { recursive: true, force: true });
        locked = false;
      }
    }),
  );
}

async function build(plan: KernelPlan, series: string, cache: string, buildDir: string, staging: string, abort: AbortSignal, say: (line: string) => void): Promise<void> {
  const started = Date.now();
  const coverage = plan.variant === 'coverage';
  rmSync(buildDir, { recursive: true, force: true });
  mkdirSync(buildDir, { recursive: true });
  say(`kernel ${plan.hash} (${plan.variant}): unpacking ${linuxSource.tarball} (${plan.sourceVersion})`);
  await runChecked('untar', 'tar', ['-xf', linuxSource.tarball, '-C', buildDir], { abort });
  const tree = join(buildDir, linuxSource.topDir);
  const touched = touchedFiles([...plan.patches, ...plan.extraPatches].map((p) => p.diff));
  if (coverage) savePristine(tree, touched, join(buildDir, 'pristine'));
  abort.throwIfAborted();
  await applySeries(tree, plan.patches, plan.fixups, say);
  await applyExtraPatches(tree, plan.extraPatches, say);
  for (const m of coverage ? COVERAGE_MAKEFILE_LINES : []) appendFileSync(join(tree, m.makefile), `\n# uringspec coverage variant\n${m.line}\n`);
  say(`configuring: tinyconfig + uringspec fragment${coverage ? ' + GCOV' : ''}`);
  await configureKernel(tree, plan.settings, abort);
  const jobs = String(availableParallelism());
  const expected = expectedObjects(cache, plan.variant);
  const progress = new BuildProgress(expected, Date.now());
  say(`building bzImage with make -j${jobs}: about ${expected.count} objects (from ${expected.from})`);
  await runChecked('make bzImage', 'make', [`-j${jobs}`, 'bzImage'], { cwd: tree, abort, eachLine: (l) => { const p = progress.line(l, Date.now()); if (p) say(p); } });
  if (!existsSync(join(tree, 'usr/gen_init_cpio'))) {
    await runChecked('gcc gen_init_cpio', 'gcc', ['-O2', '-o', 'usr/gen_init_cpio', 'usr/gen_init_cpio.c'], { cwd: tree, abort });
  }
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  copyFileSync(join(tree, 'arch/x86/boot/bzImage'), join(staging, 'bzImage'));
  copyFileSync(join(tree, 'usr/gen_init_cpio'), join(staging, 'gen_init_cpio'));
  copyFileSync(join(tree, '.config'), join(staging, 'config'));
  if (coverage) await saveCoverageFiles(tree, join(buildDir, 'pristine'), touched, join(staging, 'gcov'));
  abort.throwIfAborted();
  const meta = {
    hash: plan.hash, variant: plan.variant, sourceVersion: plan.sourceVersion, debug: plan.variant === 'debug', series, format: plan.format,
    patches: plan.patches.map((p) => p.title), fixups: plan.fixups.map((f) => f.source), objects: progress.objects,
    ...(plan.extraPatches.length ? { extraPatches: plan.extraPatches.map((p) => p.source) } : {}),
    // Where the tree was: the guest's /sys/kernel/debug/gcov/ mirrors this path.
    tree, buildSeconds: Math.round((Date.now() - started) / 1000), builtAt: new Date().toISOString(),
  };
  writeFileSync(join(staging, 'meta.json'), JSON.stringify(meta, null, 2) + '\n');
  say(`kernel ${plan.hash} built in ${meta.buildSeconds}s (${meta.objects} objects)`);
}
