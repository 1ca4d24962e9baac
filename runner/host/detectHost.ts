import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ProfileSpec, Spec } from '../../spec/types.js';
import { EnvironmentError } from '../../spec/load/inputError.js';
import { compileCase } from '../compile/compileCase.js';

export interface HostProbe { lastOp: number; ops: number[]; kernel: string }

const PROBE = fileURLToPath(new URL('./probe.c', import.meta.url));

/** io_uring is missing, disabled or refused on the host: every host case skips for this reason. */
export class IoUringUnavailable extends EnvironmentError {}

/** Probes the host's io_uring; throws EnvironmentError when io_uring is missing, disabled or refused. */
export async function probeHost(cacheDir: string, errno: Record<string, number> = {}): Promise<HostProbe> {
  const bin = await compileCase(readFileSync(PROBE, 'utf8'), { cacheDir });
  const out = JSON.parse(execFileSync(bin, { encoding: 'utf8' })) as { error?: number; io_uring_disabled?: number; last_op?: number; ops?: number[] };
  const kernel = readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim();
  if (out.error !== undefined) {
    const why = out.io_uring_disabled && out.io_uring_disabled > 0 ? ` (kernel.io_uring_disabled=${out.io_uring_disabled})` : '';
    const name = Object.entries(errno).find(([, v]) => v === -out.error!)?.[0];
    throw new IoUringUnavailable(`io_uring is not usable on this kernel ${kernel}: io_uring_setup gave ${out.error}${name ? ` (-${name})` : ''}${why}`);
  }
  return { lastOp: out.last_op!, ops: out.ops!, kernel };
}

/**
 * The host profile: the host-target profile whose probe_last_op is the closest at or below the host's.
 * Never picks a spawn profile from opcode numbers: spawn profiles are VM targets.
 */
export function hostProfile(spec: Spec, probe: HostProbe): ProfileSpec {
  const candidates = Object.values(spec.profiles)
    .filter((p) => p.target === 'host' && (p.detect?.probe_last_op ?? 0) <= probe.lastOp)
    .sort((a, b) => (b.detect?.probe_last_op ?? 0) - (a.detect?.probe_last_op ?? 0));
  const best = candidates[0];
  if (!best) throw new EnvironmentError(`no host profile in spec/profiles fits this kernel (${probe.kernel}, probe last_op ${probe.lastOp})`);
  return best;
}
