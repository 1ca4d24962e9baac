import type { ProfileSpec } from '../spec/types.js';
import { classifyKernelLine } from './qemu/findings.js';
import type { Verdict, VerdictKind } from './verdict.js';

/**
 * Why a case's verdict may change from run to run on this profile: the `racy` text of each divergence of
 * the profile that the case meets (its verdict names them). Undefined when it meets none.
 */
export function racyReason(profile: ProfileSpec, v: Pick<Verdict, 'divergence'>): string | undefined {
  const ids = v.divergence?.id.split(',') ?? [];
  const reasons = (profile.divergences ?? []).filter((d) => d.racy && ids.includes(d.id)).map((d) => `${d.id}: ${d.racy!.trim()}`);
  return reasons.length ? reasons.join(' ') : undefined;
}

/** A case's verdict kind in each run ('absent' when a run has no verdict for it), and why it may change. */
export interface VerdictSeries { id: string; kinds: (VerdictKind | 'absent')[]; racy?: string }

/**
 * The cases whose verdict kind is not the same in every run of the same cases on one kernel: `unstable`
 * ones are failures of the corpus (a verdict must not depend on timing); `racy` ones meet a divergence
 * of the profile that says why they may change, and are reported apart.
 */
export function verdictFlips(runs: Verdict[][], profile: ProfileSpec): { unstable: VerdictSeries[]; racy: VerdictSeries[] } {
  const ids = [...new Set(runs.flatMap((r) => r.map((v) => v.id)))];
  const unstable: VerdictSeries[] = [];
  const racy: VerdictSeries[] = [];
  for (const id of ids) {
    const vs = runs.map((r) => r.find((v) => v.id === id));
    const kinds = vs.map((v) => v?.kind ?? 'absent');
    if (new Set(kinds).size === 1) continue;
    const why = vs.map((v) => (v ? racyReason(profile, v) : undefined)).find((r) => r !== undefined);
    (why ? racy : unstable).push({ id, kinds, ...(why ? { racy: why } : {}) });
  }
  return { unstable, racy };
}

/** A kernel log line that came after the case named had answered (undefined: before the first one). */
export interface LateLine { afterId: string | undefined; line: string }

/** Verdicts that already say the kernel misbehaved during the case: its later report lines are its own. */
const CHARGED: VerdictKind[] = ['finding', 'timeout', 'crash'];

/**
 * Kernel reports (WARN, BUG, KASAN, lockdep, hung task, ...) that reached no case: they came after the case
 * before them had answered, and that case's verdict is not a finding, hang or crash. Each is one line
 * naming the case it followed.
 */
export function strayReports(late: LateLine[], verdicts: Verdict[]): string[] {
  const kindOf = new Map(verdicts.map((v) => [v.id, v.kind]));
  return late.flatMap(({ afterId, line }) => {
    const kind = classifyKernelLine(line);
    if (!kind) return [];
    const after = afterId === undefined ? undefined : kindOf.get(afterId);
    if (after && CHARGED.includes(after)) return [];
    return [`${kind} after ${afterId ?? 'boot, before any case'}${after ? ` (${after})` : ''}: ${line}`];
  });
}
