import { configFragment, type KconfigSetting } from './configFragment.js';
import { renderFragment } from './renderFragment.js';
import { cacheKey } from './cacheKey.js';
import { loadFixups } from './loadFixups.js';
import type { SeriesFormat } from './readSeries.js';
import { coverageMakefileText } from './coverageProfile.js';
import type { SeriesPatch } from './seriesPatch.js';
import type { Fixup } from './parseFixup.js';
import type { ExtraPatch } from './extraPatches.js';

export type KernelVariant = 'plain' | 'debug' | 'coverage';

export interface KernelPlan {
  variant: KernelVariant;
  format: SeriesFormat;
  patches: SeriesPatch[];
  fixups: Fixup[];
  /** the user's patches, applied after the series (`kernel build --extra-patch`) */
  extraPatches: ExtraPatch[];
  settings: KconfigSetting[];
  sourceVersion: string;
  hash: string;
}

const RECIPE = 'tinyconfig+fragment/fuzz0-fixups/v1';
const COVERAGE_RECIPE = `${RECIPE}+gcov-io_uring-fork-exec/v1`;

/**
 * What one kernel build is made of, and its cache key: a hash of the patch diffs
 * (not of the file they came in, so a page, an mbox and a format-patch directory of
 * the same series share one kernel), fixups, config and source version, and the diffs of
 * the user's extra patches in order (a kernel without them keeps the key it had).
 */
export function kernelPlan(series: { format: SeriesFormat; patches: SeriesPatch[] }, variant: KernelVariant, sourceVersion: string, extraPatches: ExtraPatch[] = []): KernelPlan {
  const { format, patches } = series;
  const fixups = loadFixups();
  const settings = configFragment(variant === 'debug', variant === 'coverage');
  const hash = cacheKey({
    recipe: variant === 'coverage' ? COVERAGE_RECIPE : RECIPE,
    sourceVersion,
    patches: patches.map((p) => p.diff),
    fixups: fixups.map((f) => f.text),
    fragment: renderFragment(settings),
    debug: variant === 'debug',
    ...(variant === 'coverage' ? { extra: coverageMakefileText() } : {}),
    ...(extraPatches.length ? { extraPatches: extraPatches.map((p) => p.diff) } : {}),
  });
  return { variant, format, patches, fixups, extraPatches, settings, sourceVersion, hash };
}
