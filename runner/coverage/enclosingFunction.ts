/**
 * The C function around `line` (1-based) in kernel style: the nearest `{` at column 0
 * above it, and the name before `(` in the signature just above that. For lines
 * gcov leaves without a function name (inline functions of a header).
 */
export function enclosingFunction(source: string[], line: number): string | undefined {
  for (let i = line - 1; i >= 0; i--) {
    if (i < line - 1 && /^}/.test(source[i] ?? '')) return undefined;
    if (!/^\{/.test(source[i] ?? '')) continue;
    const signature = source.slice(Math.max(0, i - 4), i).join(' ');
    const names = [...signature.matchAll(/\b([A-Za-z_]\w*)\s*\(/g)].map((m) => m[1]).filter((n) => !['__attribute__', '__printf', '__must_hold', '__releases', '__acquires'].includes(n));
    return names[0];
  }
  return undefined;
}
