/** The C macro that holds an op's opcode number: READ -> OP_READ. */
export function opMacro(op: string): string {
  return 'OP_' + op.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}
