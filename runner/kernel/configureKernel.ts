import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KconfigSetting } from './configFragment.js';
import { renderFragment } from './renderFragment.js';
import { checkConfig } from './checkConfig.js';
import { runChecked } from './runCommand.js';

/** `make tinyconfig`, merge the fragment, `make olddefconfig`, then verify every wanted option stuck. */
export async function configureKernel(tree: string, settings: KconfigSetting[], abort?: AbortSignal): Promise<void> {
  const fragment = join(tree, 'uringspec.config');
  writeFileSync(fragment, renderFragment(settings));
  await runChecked('make tinyconfig', 'make', ['tinyconfig'], { cwd: tree, ...(abort ? { abort } : {}) });
  await runChecked('merge_config.sh', 'scripts/kconfig/merge_config.sh', ['-m', '.config', fragment], { cwd: tree, ...(abort ? { abort } : {}) });
  await runChecked('make olddefconfig', 'make', ['olddefconfig'], { cwd: tree, ...(abort ? { abort } : {}) });
  const wrong = checkConfig(readFileSync(join(tree, '.config'), 'utf8'), settings);
  if (wrong.length) throw new Error(`kernel .config did not keep: ${wrong.join(', ')}`);
}
