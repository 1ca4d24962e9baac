import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A Debian package the tests need, and how to tell that it is there. */
export interface Need { pkg: string; has: () => boolean }

const command = (name: string) => () => {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const file = (path: string) => () => existsSync(path);

/** What `npm test` needs on Debian 12: case compiles, the kernel build, QEMU, and the KTAP/JUnit consumers. */
export const NEEDS: Need[] = [
  { pkg: 'gcc', has: command('gcc') },
  { pkg: 'libc6-dev', has: file('/usr/include/stdio.h') },
  { pkg: 'make', has: command('make') },
  { pkg: 'liburing-dev', has: () => existsSync('/usr/include/liburing.h') && existsSync('/usr/lib/x86_64-linux-gnu/liburing.a') },
  { pkg: 'linux-source-6.12', has: file('/usr/src/linux-source-6.12.tar.xz') },
  { pkg: 'build-essential', has: file('/usr/share/build-essential/essential-packages-list') },
  { pkg: 'bc', has: command('bc') },
  { pkg: 'bison', has: command('bison') },
  { pkg: 'flex', has: command('flex') },
  { pkg: 'libelf-dev', has: file('/usr/include/gelf.h') },
  { pkg: 'libssl-dev', has: file('/usr/include/openssl/opensslv.h') },
  { pkg: 'cpio', has: command('cpio') },
  { pkg: 'xz-utils', has: command('xz') },
  { pkg: 'patch', has: command('patch') },
  { pkg: 'qemu-system-x86', has: command('qemu-system-x86_64') },
  { pkg: 'libxml2-utils', has: command('xmllint') },
  { pkg: 'python3', has: command('python3') },
];

export function missingPackages(needs: Need[] = NEEDS): string[] {
  return needs.filter((n) => !n.has()).map((n) => n.pkg);
}

export interface SetupDeps {
  needs?: Need[];
  isRoot?: boolean;
  apt?: (args: string[]) => void;
  say?: (line: string) => void;
}

const aptGet = (args: string[]) => {
  execFileSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
};

/**
 * Installs with apt-get, as root, whatever the tests need and the machine lacks; quiet when nothing is
 * missing. Not root: says what to install and leaves the tests to skip or fail. Returns what was missing.
 */
export function installTestDeps(o: SetupDeps = {}): string[] {
  const needs = o.needs ?? NEEDS;
  const say = o.say ?? ((l: string) => process.stderr.write(`uringspec test setup: ${l}\n`));
  const absent = missingPackages(needs);
  if (!absent.length) return [];
  const cmd = `apt-get install -y --no-install-recommends ${absent.join(' ')}`;
  if (!(o.isRoot ?? process.getuid?.() === 0)) {
    say(`missing ${absent.join(', ')}; as root run: apt-get update && ${cmd}`);
    return absent;
  }
  const apt = o.apt ?? aptGet;
  say('apt-get update');
  apt(['update', '-qq']);
  say(cmd);
  apt(['install', '-y', '-qq', '--no-install-recommends', ...absent]);
  const still = missingPackages(needs);
  if (still.length) throw new Error(`still missing after apt-get install: ${still.join(', ')}`);
  return absent;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    installTestDeps();
  } catch (e) {
    process.stderr.write(`uringspec test setup: ${(e as Error).message.split('\n')[0]}\n`);
    process.exitCode = 1;
  }
}
