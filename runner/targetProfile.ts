import type { ProfileSpec, Spec } from '../spec/types.js';
import { EnvironmentError } from '../spec/load/inputError.js';
import { cacheDir, profileNamed } from './context.js';
import { hostProfile, probeHost } from './host/detectHost.js';

/** The profile the QEMU target boots when none is named: the reference kernel's. */
export const DEFAULT_VM_PROFILE = 'rfc-v1-6.12';

/**
 * The profile for a --target: on the host the probe runs first (it refuses a kernel whose io_uring is
 * missing or disabled, with IoUringUnavailable) and picks the profile unless one is named.
 */
export async function targetProfile(spec: Spec, target: string, name: string | undefined): Promise<ProfileSpec> {
  if (target === 'qemu') return profileNamed(spec, name ?? DEFAULT_VM_PROFILE);
  if (target !== 'host') throw new EnvironmentError(`--target must be host or qemu, not "${target}"`);
  const probe = await probeHost(cacheDir(), spec.ring.errno);
  return name ? profileNamed(spec, name) : hostProfile(spec, probe);
}
