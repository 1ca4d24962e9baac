import type { KconfigSetting } from './configFragment.js';

/** Kconfig fragment text, in the format merge_config.sh and .config use. */
export function renderFragment(settings: KconfigSetting[]): string {
  return settings
    .map(({ name, value }) => (value === 'n' ? `# CONFIG_${name} is not set` : `CONFIG_${name}=${value}`))
    .join('\n') + '\n';
}
