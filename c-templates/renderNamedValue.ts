/** The constants of spec/ring.yaml that the patterns name (NAME, or PREFIX* for every NAME that starts with PREFIX). */
export function namedConstants(patterns: string[], constants: Record<string, number>): [string, number][] {
  return Object.entries(constants).filter(([c]) => patterns.some((p) => (p.endsWith('*') ? c.startsWith(p.slice(0, -1)) : c === p)));
}

const popcount = (n: bigint) => n.toString(2).replace(/0/g, '').length;

/**
 * A slot's value as the constants that make it up: the one constant equal to it (AT_FDCWD, O_RDONLY),
 * else an OR of positive constants whose bits cover it exactly (O_CREAT | O_EXCL), wider ones first;
 * undefined when no such spelling exists (the value is then written as a number). Returns the names used.
 */
export function renderNamedValue(v: bigint, named: [string, number][]): string[] | undefined {
  const exact = named.find(([, n]) => BigInt(n) === v);
  if (exact) return [exact[0]];
  if (v <= 0n) return undefined;
  const parts = named
    .filter(([, n]) => n > 0 && n <= 0x7fffffff)
    .map(([c, n]) => [c, BigInt(n)] as const)
    .sort((a, b) => popcount(b[1]) - popcount(a[1]) || (b[1] > a[1] ? 1 : -1));
  let rest = v;
  const used: (readonly [string, bigint])[] = [];
  for (const p of parts) {
    if ((rest & p[1]) === p[1]) {
      used.push(p);
      rest &= ~p[1];
    }
  }
  if (rest !== 0n || !used.length) return undefined;
  return used.sort((a, b) => (a[1] < b[1] ? -1 : 1)).map(([c]) => c);
}
