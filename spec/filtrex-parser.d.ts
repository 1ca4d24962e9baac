// filtrex ships no types for its parser module; expr.ts reads only parse()'s nested arrays of code strings.
declare module 'filtrex/dist/esnext/parser.mjs' {
  export const parser: { parse(source: string): unknown };
}
declare module 'filtrex/dist/esnext/filtrex.mjs';
