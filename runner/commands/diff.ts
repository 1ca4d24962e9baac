import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isBzImage } from '../vm/runQemu.js';
import { EnvironmentError } from '../../spec/load/inputError.js';
import { writeCase } from '../../spec/case/writeCase.js';
import { opcodeRefused } from '../../generators/oracle/prep.js';
import { linkedChain } from '../../generators/linkedChain.js';
import { cacheDir, progress, theSpec } from '../context.js';
import { targetProfile } from '../targetProfile.js';
import { endIfInterrupted } from '../interrupt.js';
import { hostTarget } from '../fuzz/hostTarget.js';
import { qemuTarget } from '../fuzz/qemuTarget.js';
import type { FuzzTarget } from '../fuzz/target.js';
import { diffCampaign } from '../diff/diffCampaign.js';

export interface DiffOptions { target: string[]; kernel?: string[]; profile?: string[]; seed: number; runs?: number; time?: number; out?: string; timeout?: number }

/**
 * `uringspec diff --target A --target B`: the same generated chains on two targets (host, qemu, or qemu
 * twice with two --kernel images); every chain whose observations differ is shrunk and shown with both
 * observations side by side. Only chains both profiles can express are generated (ops and setup flags
 * both have).
 */
export async function diffCommand(o: DiffOptions) {
  if (o.target.length !== 2) throw new EnvironmentError('diff needs two --target options (host or qemu)');
  if (o.runs === undefined && o.time === undefined) throw new EnvironmentError('diff needs --runs N or --time SEC');
  for (const t of o.target) if (t !== 'host' && t !== 'qemu') throw new EnvironmentError(`--target must be host or qemu, not "${t}"`);
  const kernels = [...(o.kernel ?? [])];
  const qemuCount = o.target.filter((t) => t === 'qemu').length;
  if (kernels.length > qemuCount) throw new EnvironmentError(`${kernels.length} --kernel options for ${qemuCount} qemu targets`);
  // before any VM boots: a --kernel that is not there (kernel build prints the path of one)
  for (const k of kernels) if (!existsSync(k)) throw new EnvironmentError(`--kernel ${k}: file not found (uringspec kernel build [--extra-patch P] prints the path of one)`);
  for (const k of kernels) if (!isBzImage(k)) throw new EnvironmentError(`--kernel ${k}: not an x86 bzImage (no "HdrS" boot header at 0x202)`);
  const spec = theSpec();
  const timeoutMs = (o.timeout ?? 20) * 1000;
  const targets: FuzzTarget[] = [];
  try {
    for (const [i, t] of o.target.entries()) {
      const profile = await targetProfile(spec, t, o.profile?.[i]);
      if (t === 'host') targets.push(await hostTarget(spec, profile, { cacheDir: cacheDir(), timeoutMs, graceMs: 5 }));
      else {
        const kernel = kernels.shift();
        targets.push(await qemuTarget(spec, profile, { cacheDir: cacheDir(), timeoutMs, graceMs: 5, ...(kernel ? { kernel } : {}), onProgress: progress }));
      }
    }
    const [a, b] = targets as [FuzzTarget, FuzzTarget];
    // the command that runs the same pair again: each target with its kernel and profile
    const given = [...(o.kernel ?? [])];
    const replay = `uringspec diff ${o.target.map((t, i) => `--target ${t}${t === 'qemu' && given.length ? ` --kernel ${given.shift()}` : ''} --profile ${targets[i]!.profile.name}`).join(' ')}`;
    // a profile both sides share: the ops and setup flags of both (not an op one tree has and the other refuses by its opcode)
    const common = {
      ...a.profile, name: `${a.profile.name}&${b.profile.name}`,
      opcodes: Object.fromEntries(Object.entries(a.profile.opcodes).filter(([op, n]) => b.profile.opcodes[op] === n
        && opcodeRefused(spec, a.profile, op) === opcodeRefused(spec, b.profile, op))),
      setup_flags: a.profile.setup_flags.filter((f) => b.profile.setup_flags.includes(f)),
    };
    const arb = linkedChain(spec, common);
    const r = await diffCampaign(spec, a, b, arb, { seed: o.seed, ...(o.runs !== undefined ? { runs: o.runs } : {}), ...(o.time !== undefined ? { timeSec: o.time } : {}), onProgress: progress });
    const out = o.out ?? 'diff-out';
    if (r.found.length) mkdirSync(out, { recursive: true });
    for (const [n, d] of r.found.entries()) {
      const name = `diff-${d.seed}-${d.path.replace(/:/g, '-')}`;
      writeFileSync(join(out, `${name}.yaml`), writeCase({ ...d.c, provenance: { kind: 'found', seed: d.seed, path: d.path, note: `${replay} --seed ${d.seed}` } }));
      process.stdout.write(`# ${a.name} | ${b.name}\n${d.differences.map((x) => `#   ${x}`).join('\n')}\n# chain: ${join(out, name)}.yaml (seed ${d.seed}, path ${d.path})\nnot ok ${n + 1} ${name}\n`);
    }
    process.stdout.write(`${r.ran - r.found.length} agreed, ${r.found.length} differ\n`);
    endIfInterrupted();
    return { tally: { passed: r.ran - r.found.length, failed: r.found.length, skipped: 0, xfailed: 0 } };
  } finally {
    for (const t of targets) await t.stop();
  }
}
