export interface CpioFile {
  guestPath: string;
  hostPath: string;
  mode: number;
}

const BASE_DIRS: [string, number][] = [['/dev', 0o755], ['/proc', 0o555], ['/sys', 0o555], ['/tmp', 0o1777], ['/cases', 0o755]];

function checkPath(p: string, what: string): void {
  if (!/^\S+$/.test(p)) throw new Error(`gen_init_cpio cannot take a ${what} with whitespace: ${JSON.stringify(p)}`);
}

const octal = (mode: number) => mode.toString(8).padStart(4, '0');

/**
 * The gen_init_cpio list for the initramfs: the standard mount points, a
 * /dev/console node (the kernel opens it for /init before devtmpfs exists),
 * the files, and every parent directory they need.
 */
export function cpioList(files: CpioFile[]): string {
  const dirs = new Map<string, number>(BASE_DIRS);
  const seen = new Set<string>();
  for (const f of files) {
    checkPath(f.guestPath, 'guest path');
    checkPath(f.hostPath, 'host path');
    if (!f.guestPath.startsWith('/') || f.guestPath.endsWith('/')) throw new Error(`guest path must be an absolute file path: ${f.guestPath}`);
    if (seen.has(f.guestPath)) throw new Error(`guest path listed twice: ${f.guestPath}`);
    seen.add(f.guestPath);
    const parts = f.guestPath.split('/').slice(1, -1);
    for (let i = 1; i <= parts.length; i++) {
      const dir = '/' + parts.slice(0, i).join('/');
      if (!dirs.has(dir)) dirs.set(dir, 0o755);
    }
  }
  const lines = [...dirs.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([d, mode]) => `dir ${d} ${octal(mode)} 0 0`);
  lines.push('nod /dev/console 0600 0 0 c 5 1');
  for (const f of files) lines.push(`file ${f.guestPath} ${f.hostPath} ${octal(f.mode)} 0 0`);
  return lines.join('\n') + '\n';
}
