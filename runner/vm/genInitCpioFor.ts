import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runChecked } from '../kernel/runCommand.js';
import { ensureDeps } from '../kernel/ensureDeps.js';
import { linuxSource } from '../kernel/linuxSource.js';

/**
 * gen_init_cpio for a user-supplied bzImage: built from linux-source's usr/gen_init_cpio.c once and
 * cached, so that no kernel build is needed to boot someone else's kernel.
 */
export async function genInitCpioFor(cacheDir: string, say?: (l: string) => void): Promise<string> {
  const out = join(cacheDir, 'tools', 'gen_init_cpio');
  if (existsSync(out)) return out;
  await ensureDeps(say);
  mkdirSync(join(cacheDir, 'tools'), { recursive: true });
  const tmp = mkdtempSync(join(cacheDir, 'tools', 'src-'));
  try {
    const member = `${linuxSource.topDir}/usr/gen_init_cpio.c`;
    await runChecked('untar gen_init_cpio.c', 'tar', ['-xf', linuxSource.tarball, '-C', tmp, member]);
    await runChecked('gcc gen_init_cpio', 'gcc', ['-O2', '-o', `${out}.tmp`, join(tmp, member)]);
    await runChecked('install gen_init_cpio', 'mv', [`${out}.tmp`, out]);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return out;
}
