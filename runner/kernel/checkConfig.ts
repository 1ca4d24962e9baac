import type { KconfigSetting } from './configFragment.js';

/**
 * Compares a final .config against the wanted settings and returns the ones that
 * kconfig dropped or changed (an unmet dependency silently turns an option off).
 */
export function checkConfig(dotConfig: string, wanted: KconfigSetting[]): string[] {
  const actual = new Map<string, string>();
  for (const line of dotConfig.split('\n')) {
    const set = /^CONFIG_(\w+)=(.*)$/.exec(line);
    if (set) actual.set(set[1], set[2]);
  }
  const wrong: string[] = [];
  for (const { name, value } of wanted) {
    const got = actual.get(name) ?? 'n';
    if (got !== value) wrong.push(`CONFIG_${name}=${got} (wanted ${value})`);
  }
  return wrong;
}
