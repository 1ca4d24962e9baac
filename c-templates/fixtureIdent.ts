/** The C enum constant that indexes a fixture in `fixtures[]`: "pipe-a" -> FX_PIPE_A. */
export function fixtureIdent(name: string): string {
  return 'FX_' + name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}
