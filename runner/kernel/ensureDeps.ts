import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { linuxSource } from './linuxSource.js';

const TOOLS = ['make', 'gcc', 'ld', 'bc', 'bison', 'flex', 'patch', 'tar', 'xz', 'perl', 'cpio', 'qemu-system-x86_64'];
// liburing's static library: the executor and the reproducers are linked statically for the guest
const HEADERS: Record<string, string> = {
  '/usr/include/gelf.h': 'libelf-dev', '/usr/include/openssl/opensslv.h': 'libssl-dev',
  '/usr/include/liburing.h': 'liburing-dev', '/usr/lib/x86_64-linux-gnu/liburing.a': 'liburing-dev',
};
const APT_PACKAGES = [linuxSource.package, 'build-essential', 'bc', 'bison', 'flex', 'libelf-dev', 'libssl-dev', 'cpio', 'qemu-system-x86', 'liburing-dev'];

function hasTool(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function missing(): string[] {
  const out: string[] = [];
  if (!existsSync(linuxSource.tarball)) out.push(linuxSource.tarball);
  for (const t of TOOLS) if (!hasTool(t)) out.push(t);
  for (const [file, pkg] of Object.entries(HEADERS)) if (!existsSync(file)) out.push(`${file} (${pkg})`);
  return out;
}

/** Makes sure the kernel source and build tools exist, installing them with apt when running as root. */
export async function ensureDeps(onProgress: (line: string) => void = () => {}): Promise<void> {
  const absent = missing();
  if (absent.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`kernel build needs ${absent.join(', ')}; install with: apt-get install ${APT_PACKAGES.join(' ')}`);
  }
  onProgress(`installing build dependencies (missing: ${absent.join(', ')})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', ...APT_PACKAGES]]) {
    try {
      execFileSync('apt-get', args, { stdio: ['ignore', 'ignore', 'pipe'], env });
    } catch (e) {
      const why = String((e as { stderr?: Buffer }).stderr ?? '').trim().split('\n').pop() || (e as Error).message;
      throw new Error(`apt-get ${args[0]} failed while installing kernel build dependencies: ${why}`);
    }
  }
  const still = missing();
  if (still.length) throw new Error(`kernel build still needs ${still.join(', ')} after apt-get install`);
}
