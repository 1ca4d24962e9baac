import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, copyFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { extractPatches } from './extractPatches.js';
import { configFragment } from './configFragment.js';
import { renderFragment } from './renderFragment.js';
import { cacheKey } from './cacheKey.js';
import { ensureDeps } from './ensureDeps.js';
import { linuxSource, linuxSourceVersion } from './linuxSource.js';
import { loadFixups } from './loadFixups.js';
import { applySeries } from './applySeries.js';
import { configureKernel } from './configureKernel.js';
import { runChecked } from './runCommand.js';
import { withLock } from './cacheLock.js';
import { defaultCacheDir } from './cacheDir.js';

export { defaultCacheDir };

export interface KernelBuildOptions { series: string; debug?: boolean; cacheDir?: string; onProgress?: (line: string) => void; }
export interface KernelBuild { bzImage: string; genInitCpio: string; hash: string; cached: boolean; }

const RECIPE = 'tinyconfig+fragment/fuzz0-fixups/v1';

function cachedBuild(dir: string, hash: string): KernelBuild | undefined {
  const bzImage = join(dir, 'bzImage');
  const genInitCpio = join(dir, 'gen_init_cpio');
  return existsSync(bzImage) && existsSync(genInitCpio) ? { bzImage, genInitCpio, hash, cached: true } : undefined;
}

/** Builds (or finds in the cache) the reference kernel: linux-source-6.12 plus the RFC series. */
export async function buildKernel(o: KernelBuildOptions): Promise<KernelBuild> {
  const say = o.onProgress ?? (() => {});
  const debug = o.debug ?? false;
  if (!existsSync(o.series)) throw new Error(`patch series file not found: ${o.series}`);
  const patches = extractPatches(readFileSync(o.series, 'utf8'), o.series);
  const fixups = loadFixups();
  const settings = configFragment(debug);
  await ensureDeps(say);
  const sourceVersion = linuxSourceVersion();
  const hash = cacheKey({ recipe: RECIPE, sourceVersion, patches: patches.map((p) => p.diff), fixups: fixups.map((f) => f.text), fragment: renderFragment(settings), debug });
  const cache = o.cacheDir ?? defaultCacheDir();
  const outDir = join(cache, 'kernel', hash);
  const hit = cachedBuild(outDir, hash);
  if (hit) return hit;
  mkdirSync(join(cache, 'kernel'), { recursive: true });
  return withLock(`${outDir}.lock`, (pid) => say(`waiting for build ${hash} held by pid ${pid}`), async () => {
    const again = cachedBuild(outDir, hash);
    if (again) return again;
    const buildDir = join(cache, `build-${hash}`);
    const staging = `${outDir}.tmp-${process.pid}`;
    const started = Date.now();
    try {
      rmSync(buildDir, { recursive: true, force: true });
      mkdirSync(buildDir, { recursive: true });
      say(`kernel ${hash}${debug ? ' (debug)' : ''}: unpacking ${linuxSource.tarball} (${sourceVersion})`);
      await runChecked('untar', 'tar', ['-xf', linuxSource.tarball, '-C', buildDir]);
      const tree = join(buildDir, linuxSource.topDir);
      await applySeries(tree, patches, fixups, say);
      say('configuring: tinyconfig + uringspec fragment');
      await configureKernel(tree, settings);
      const jobs = String(availableParallelism());
      say(`building bzImage with make -j${jobs} (several minutes on 2 cores)`);
      await runChecked('make bzImage', 'make', [`-j${jobs}`, 'bzImage'], { cwd: tree, onLine: (l) => say(`  make: ${l.trim()}`), throttleMs: 5000 });
      if (!existsSync(join(tree, 'usr/gen_init_cpio'))) {
        await runChecked('gcc gen_init_cpio', 'gcc', ['-O2', '-o', 'usr/gen_init_cpio', 'usr/gen_init_cpio.c'], { cwd: tree });
      }
      rmSync(staging, { recursive: true, force: true });
      mkdirSync(staging);
      copyFileSync(join(tree, 'arch/x86/boot/bzImage'), join(staging, 'bzImage'));
      copyFileSync(join(tree, 'usr/gen_init_cpio'), join(staging, 'gen_init_cpio'));
      copyFileSync(join(tree, '.config'), join(staging, 'config'));
      const meta = { hash, sourceVersion, debug, series: o.series, patches: patches.map((p) => p.title), fixups: fixups.map((f) => f.source), buildSeconds: Math.round((Date.now() - started) / 1000), builtAt: new Date().toISOString() };
      writeFileSync(join(staging, 'meta.json'), JSON.stringify(meta, null, 2) + '\n');
      renameSync(staging, outDir);
      say(`kernel ${hash} built in ${meta.buildSeconds}s -> ${outDir}`);
      return { bzImage: join(outDir, 'bzImage'), genInitCpio: join(outDir, 'gen_init_cpio'), hash, cached: false };
    } finally {
      rmSync(staging, { recursive: true, force: true });
      rmSync(buildDir, { recursive: true, force: true });
    }
  });
}
