/** The C type of a target: an SQE slot or a struct member. */
export interface CIntType {
  type: string;
  bits: number;
  signed: boolean;
}

function literal(n: number): string {
  if (n >= 0) return n <= 0x7fffffff ? `${n}` : n <= 0xffffffff ? `${n}U` : `${n}ULL`;
  return n >= -0x80000000 ? `${n}` : `${n}LL`;
}

/**
 * A C integer literal for n stored into t. A value outside t's range but inside its width
 * (-5 into a __u32, 4294967295 into a __s32) gets an explicit cast, so -Werror stays quiet.
 */
export function cInteger(n: number, t: CIntType): string {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${n} is not an exact integer`);
  const span = 2 ** t.bits;
  const [min, max] = t.signed ? [-span / 2, span / 2 - 1] : [0, span - 1];
  if (n >= min && n <= max) return literal(n);
  if (n >= -span / 2 && n <= span - 1) return `(${t.type})${literal(n)}`;
  throw new RangeError(`${n} does not fit in ${t.bits} bits (${t.type})`);
}
