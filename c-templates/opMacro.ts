import type { OpSpec } from '../spec/types.js';

/** The C name of an op's opcode: READ -> IORING_OP_READ (liburing's enum member, or a macro the reproducer defines). */
export function opMacro(op: string): string {
  return 'IORING_OP_' + op.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** Whether liburing's header declares the op's opcode: the op has a liburing prep helper. */
export function liburingHasOp(spec?: OpSpec): boolean {
  return spec?.liburing?.prep !== undefined;
}
