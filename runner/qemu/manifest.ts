export interface ManifestCase {
  id: string;
  timeoutSec: number;
}

/** Guest binary of case `index`, relative to /cases. */
export function caseBinaryName(index: number): string {
  return String(index);
}

/**
 * /cases/manifest for the guest /init: `<index> <id> <timeout_sec> <binary>` per
 * line. Ids become one whitespace-free token, so anything else is rejected.
 */
export function manifestText(cases: ManifestCase[]): string {
  return cases
    .map((c, index) => {
      if (!/^[\x21-\x7e]{1,255}$/.test(c.id)) throw new Error(`case id must be 1-255 printable characters without spaces: ${JSON.stringify(c.id)}`);
      if (!(c.timeoutSec > 0)) throw new Error(`case ${c.id}: timeoutSec must be positive, got ${c.timeoutSec}`);
      return `${index} ${c.id} ${Math.ceil(c.timeoutSec)} ${caseBinaryName(index)}\n`;
    })
    .join('');
}
