/** A problem with user input (spec, case, CLI argument, missing binary). Rendered as one line. */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly col: number,
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${file}:${line}:${col}: ${field}: ${detail}`);
    this.name = 'InputError';
  }
}

/** An input problem that is not about a position in a file (missing binary, io_uring disabled). */
export class EnvironmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvironmentError';
  }
}
