import { compileExpression } from 'filtrex';
// filtrex resolves a name only when evaluation reaches it (and/or/if short-circuit), so the names of an
// expression come from its own parser; importing the esnext entry first gives that parser its helpers
import 'filtrex/dist/esnext/filtrex.mjs';
import { parser } from 'filtrex/dist/esnext/parser.mjs';

/**
 * The expression language of the spec: filtrex (https://github.com/m93a/filtrex) with dotted names
 * resolved against the evaluation context, and a few integer helpers. Unknown names are errors, so a
 * typo in the YAML fails loudly instead of evaluating to undefined.
 */
export type Expr = (ctx: object) => unknown;

const functions = {
  min: (...xs: number[]) => Math.min(...xs),
  max: (...xs: number[]) => Math.max(...xs),
  band: (a: number, b: number) => Number(BigInt.asUintN(64, BigInt(a)) & BigInt.asUintN(64, BigInt(b))),
  bnot: (a: number) => Number(~BigInt(a) & 0xffffffffn),
  bor: (a: number, b: number) => Number(BigInt.asUintN(64, BigInt(a)) | BigInt.asUintN(64, BigInt(b))),
  has: (list: unknown, item: unknown) => Array.isArray(list) && list.includes(item),
};

/** filtrex's built-in functions plus ours: the function names an expression may call. */
export const EXPR_FUNCTIONS: readonly string[] = [
  'abs', 'ceil', 'floor', 'log', 'log2', 'log10', 'max', 'min', 'round', 'sqrt', 'exists', 'empty', ...Object.keys(functions),
];

/** Every name an expression reads (dotted, as written) and every function it calls, in source order. */
export function exprNames(source: string): { names: string[]; calls: string[] } {
  const flat = (x: unknown): string[] => (Array.isArray(x) ? x.flatMap(flat) : [String(x)]);
  const code = flat(parser.parse(source)).join('');
  const names: string[] = [];
  const calls: string[] = [];
  // the generated code reads a name as prop({"name":...}, ...) and calls a function as call({"name":...}, ...)
  for (const m of code.matchAll(/\b(prop|call)\(\s*(\{"name":"(?:[^"\\]|\\.)*","type":"[a-z-]+"\})/g)) {
    const { name } = JSON.parse(m[2]!) as { name: string };
    (m[1] === 'prop' ? names : calls).push(name);
  }
  return { names, calls };
}

const partsOf = new Map<string, string[]>();

function customProp(name: string, _get: unknown, obj: unknown): unknown {
  let v: unknown = obj;
  let parts = partsOf.get(name);
  if (!parts) partsOf.set(name, (parts = name.split('.')));
  for (const part of parts) {
    if (v === null || typeof v !== 'object' || !(part in v)) throw new Error(`unknown name "${name}"`);
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

const cache = new Map<string, Expr>();

/** Compiles an expression once; throws on a syntax error with the parser's message. */
export function compile(source: string | number | boolean): Expr {
  if (typeof source === 'number' || typeof source === 'boolean') return () => source;
  let fn = cache.get(source);
  if (!fn) {
    const raw = compileExpression(source, { extraFunctions: functions, customProp });
    fn = (ctx: object) => {
      const v = raw(ctx);
      if (v instanceof Error) throw v;
      return v;
    };
    cache.set(source, fn);
  }
  return fn;
}

export function evalBool(source: string | number | boolean, ctx: object, where: string): boolean {
  const v = evalAny(source, ctx, where);
  if (typeof v !== 'boolean') throw new Error(`${where}: "${String(source)}" gave ${JSON.stringify(v)}, not true/false`);
  return v;
}

export function evalInt(source: string | number | boolean, ctx: object, where: string): number {
  const v = evalAny(source, ctx, where);
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new Error(`${where}: "${String(source)}" gave ${JSON.stringify(v)}, not an integer`);
  return v;
}

function evalAny(source: string | number | boolean, ctx: object, where: string): unknown {
  try {
    return compile(source)(ctx);
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message.split('\n')[0]}`);
  }
}
