import type { ProfileSpec, Spec } from '../spec/types.js';
import { EnvironmentError } from '../spec/load/inputError.js';
import { cacheDir, profileNamed } from './context.js';
import { hostProfile, probeHost, type HostProbe } from './host/detectHost.js';

/** The profile the QEMU target boots when none is named: the reference kernel's. */
export const DEFAULT_VM_PROFILE = 'rfc-v1-6.12';

/**
 * Why the host's probe says this kernel is not the profile's tree, or undefined. Upstream opcode numbers
 * never change, so a host profile only needs a kernel with at least its ops; a patched tree's numbers are
 * its own, so a VM profile fits only a kernel whose last opcode is exactly that tree's. Opcodes above the
 * tree's last op are the deliberately unsupported ones and are not looked up.
 */
export function contradiction(profile: ProfileSpec, probe: HostProbe): string | undefined {
  const last = profile.detect?.probe_last_op;
  const where = `this kernel (${probe.kernel}) reports last opcode ${probe.lastOp}`;
  if (last !== undefined && (profile.target === 'host' ? probe.lastOp < last : probe.lastOp !== last)) {
    return `profile ${profile.name} describes a tree whose last opcode is ${last}, but ${where}: its opcode numbers mean other ops here (use --target qemu, or no --profile)`;
  }
  const supported = new Set(probe.ops);
  for (const [op, n] of Object.entries(profile.opcodes)) {
    if (n <= (last ?? probe.lastOp) && !supported.has(n)) return `profile ${profile.name} has ${op} at opcode ${n}, which ${where} does not support`;
  }
  return undefined;
}

/**
 * The profile for a --target: on the host the probe runs first (it refuses a kernel whose io_uring is
 * missing or disabled, with IoUringUnavailable), picks the profile unless one is named, and refuses a
 * named profile that the probe contradicts.
 */
export async function targetProfile(spec: Spec, target: string, name: string | undefined): Promise<ProfileSpec> {
  if (target === 'qemu') return profileNamed(spec, name ?? DEFAULT_VM_PROFILE);
  if (target !== 'host') throw new EnvironmentError(`--target must be host or qemu, not "${target}"`);
  const named = name ? profileNamed(spec, name) : undefined;
  const probe = await probeHost(cacheDir(), spec.ring.errno);
  if (!named) return hostProfile(spec, probe);
  const why = contradiction(named, probe);
  if (why) throw new EnvironmentError(`--profile ${named.name} on the host: ${why}`);
  return named;
}
