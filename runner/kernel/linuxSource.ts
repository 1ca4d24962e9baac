import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';

/** Debian's packaged kernel source the reference kernel is built from. */
export const linuxSource = {
  package: 'linux-source-6.12',
  tarball: '/usr/src/linux-source-6.12.tar.xz',
  topDir: 'linux-source-6.12',
};

/** The installed package version; falls back to the tarball's size and mtime off Debian. */
export function linuxSourceVersion(): string {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Version}', linuxSource.package], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    const st = statSync(linuxSource.tarball);
    return `unpackaged:${st.size}:${st.mtimeMs}`;
  }
}
