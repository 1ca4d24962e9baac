/**
 * A raw opcode in an SQE (`op: { raw: 60 }` in a case file): parseCase keeps it as the op name `#60`, which no op of
 * the spec can have (op names are upper case), and writeCase writes it back. Every stage that looks an op up by name
 * finds none for it; the exec form gives the kernel the number itself.
 */
export const rawOpName = (n: number): string => `#${n}`;

/** The number of a raw opcode's op name, or undefined for a named op. */
export function rawOpcode(op: string): number | undefined {
  const m = /^#(\d+)$/.exec(op);
  return m ? Number(m[1]) : undefined;
}
