import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** The pids whose environment holds `VAR=value` (a marker a test gave the process tree it started). */
export function pidsWithEnv(entry: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/environ`, 'latin1').split('\0').includes(entry)) pids.push(Number(name));
    } catch {
      // gone, or a kernel thread
    }
  }
  return pids;
}

/** Polls until `cond` holds or `ms` pass; true when it held. */
export async function waitFor(cond: () => boolean, ms: number, every = 100): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, every));
  }
  return cond();
}

/** The current directory of a process, or undefined when it is gone. */
export function cwdOf(pid: number): string | undefined {
  try { return readlinkSync(`/proc/${pid}/cwd`); } catch { return undefined; }
}
