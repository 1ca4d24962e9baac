export type FindingKind = 'WARN' | 'BUG' | 'OOPS' | 'KASAN' | 'LOCKDEP' | 'HUNG_TASK' | 'PANIC' | 'SOFTLOCKUP' | 'RCU_STALL';

export interface Finding {
  kind: FindingKind;
  line: string;
}

// First match wins: the specific reports are also "BUG:" or "WARNING:" lines.
const RULES: [FindingKind, RegExp][] = [
  ['PANIC', /Kernel panic/],
  // Oops lines on a KASAN kernel end in "SMP KASAN": only the report headers count.
  ['KASAN', /BUG: KASAN:|^(\[[\s\d.]+\]\s*)?KASAN:/],
  ['LOCKDEP', /possible circular locking|WARNING: (possible|inconsistent lock state|suspicious RCU usage|bad unlock balance|held lock freed|lock held when returning|Nested lock)/],
  ['SOFTLOCKUP', /soft lockup/],
  ['RCU_STALL', /rcu.*stall/i],
  ['HUNG_TASK', /INFO: task .* blocked for more than/],
  ['OOPS', /\bOops\b|general protection fault/],
  ['BUG', /\bBUG:|kernel BUG at/],
  ['WARN', /WARNING:/],
];

/** Which kind of kernel report a console line opens, if any. */
export function classifyKernelLine(line: string): FindingKind | undefined {
  for (const [kind, re] of RULES) if (re.test(line)) return kind;
  return undefined;
}
