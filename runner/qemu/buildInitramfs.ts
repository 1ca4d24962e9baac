import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync, symlinkSync, writeFileSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { cpioList, type CpioFile } from './cpioList.js';
import { manifestText, caseBinaryName } from './manifest.js';

export interface InitramfsInput {
  genInitCpio: string;
  init: string;
  cases: { id: string; binary: string; timeoutSec: number }[];
  extraFiles: CpioFile[];
  /** Scratch directory owned by the caller; the image and its inputs go here. */
  workDir: string;
}

function run(genInitCpio: string, list: string, out: string): Promise<void> {
  return new Promise((res, rej) => {
    const fd = openSync(out, 'w');
    const child = spawn(genInitCpio, [list], { stdio: ['ignore', fd, 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    child.on('error', (e) => rej(new Error(`cannot run ${genInitCpio}: ${e.message}`)));
    child.on('close', (code) => {
      closeSync(fd);
      code === 0 ? res() : rej(new Error(`gen_init_cpio failed (exit ${code}): ${err.trim().split('\n')[0]}`));
    });
  });
}

/**
 * Writes the initramfs (uncompressed newc cpio) with /init, /cases/manifest, the
 * case binaries as /cases/<n>, and the extra files. Host files are linked into
 * workDir under plain names so their paths never trip gen_init_cpio's parser.
 */
export async function buildInitramfs(o: InitramfsInput): Promise<string> {
  if (!existsSync(o.genInitCpio)) throw new Error(`gen_init_cpio not found: ${o.genInitCpio}`);
  const link = (host: string, name: string, what: string) => {
    if (!existsSync(host)) throw new Error(`${what} not found: ${host}`);
    const p = join(o.workDir, name);
    symlinkSync(resolve(host), p);
    return p;
  };
  const files: CpioFile[] = [{ guestPath: '/init', hostPath: link(o.init, 'init', 'guest init'), mode: 0o755 }];
  const manifest = join(o.workDir, 'manifest');
  writeFileSync(manifest, manifestText(o.cases));
  files.push({ guestPath: '/cases/manifest', hostPath: manifest, mode: 0o644 });
  o.cases.forEach((c, i) => files.push({ guestPath: `/cases/${caseBinaryName(i)}`, hostPath: link(c.binary, `case-${i}`, `binary of case ${c.id}`), mode: 0o755 }));
  o.extraFiles.forEach((f, i) => files.push({ guestPath: f.guestPath, hostPath: link(f.hostPath, `extra-${i}`, `extra file for ${f.guestPath}`), mode: f.mode }));
  const list = join(o.workDir, 'cpio.list');
  writeFileSync(list, cpioList(files));
  const image = join(o.workDir, 'initramfs.cpio');
  await run(o.genInitCpio, list, image);
  return image;
}
