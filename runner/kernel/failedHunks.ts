/**
 * Reads GNU patch's report and lists what did not apply: rejected hunks as
 * `path#N`, and whole files patch refused (already applied, missing file...).
 */
export function failedHunks(patchOutput: string): string[] {
  const failed: string[] = [];
  let file = '?';
  for (const line of patchOutput.split('\n')) {
    const target = /^(?:patching|checking) file (.+)$/.exec(line);
    if (target) file = target[1].replace(/^'(.*)'$/, '$1');
    const hunk = /^Hunk #(\d+) FAILED/.exec(line);
    if (hunk) failed.push(`${file}#${hunk[1]}`);
    if (/Reversed \(or previously applied\) patch detected|can't find file to patch|No file to patch/.test(line)) {
      failed.push(`${file}#*`);
    }
  }
  return failed.sort();
}
