import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EXPR_FUNCTIONS, exprNames } from '../expr.js';
import type { InputError } from './inputError.js';
import { readYaml, type YamlSource } from './yamlSource.js';

/** What expressions may name (the oracle's vocabulary, passed in: spec/ does not import the oracle). */
export interface NameTable {
  facts: Map<string, unknown>;
  constants: Map<string, number>;
  /** names only a field that sees the outcome's res may read */
  resultNames: Set<string>;
}

/** One expression of the spec: where it is, and whether it may read `res`. */
interface ExprAt { path: (string | number)[]; source: unknown; withRes: boolean }

function listAt(v: unknown, path: (string | number)[], withRes: boolean): ExprAt[] {
  return Array.isArray(v) ? v.map((e, j) => ({ path: [...path, j], source: e, withRes })) : [{ path, source: v, withRes }];
}

/** The expression fields of a rule list: when, res, and an outcome's one_of, breaks_link, cqe_flags, prev and effects. */
function ruleExprs(rules: unknown, base: (string | number)[]): ExprAt[] {
  if (!Array.isArray(rules)) return [];
  return rules.flatMap((r: Record<string, unknown>, i) => {
    const at = [...base, i];
    const prev = (r.prev ?? {}) as Record<string, unknown>;
    const effects = Array.isArray(r.effects) ? r.effects : [];
    return [
      { path: [...at, 'when'], source: r.when, withRes: false },
      { path: [...at, 'res'], source: r.res, withRes: false },
      ...listAt(r.one_of ?? [], [...at, 'one_of'], false),
      { path: [...at, 'breaks_link'], source: r.breaks_link, withRes: true },
      { path: [...at, 'cqe_flags'], source: r.cqe_flags, withRes: true },
      { path: [...at, 'prev', 'res'], source: prev.res, withRes: false },
      ...listAt(prev.one_of ?? [], [...at, 'prev', 'one_of'], false),
      ...effects.flatMap((e: Record<string, unknown>, k) => [
        ...['bytes', 'at', 'cloexec', 'res', 'acc', 'user_data', 'flags', 'direct'].map((key) => ({ path: [...at, 'effects', k, key], source: e[key], withRes: true })),
        ...['fl', 'slots'].flatMap((key) => listAt(e[key] ?? [], [...at, 'effects', k, key], true)),
      ]),
    ];
  });
}

const yamlIn = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(dir, f));

/** Every expression of the spec directory, with the profile it is evaluated on (undefined: all); and each profile's features. */
function expressions(dir: string): { files: { src: YamlSource; exprs: ExprAt[]; profile?: string }[]; features: Map<string, Set<string>> } {
  const out: { src: YamlSource; exprs: ExprAt[]; profile?: string }[] = [];
  const features = new Map<string, Set<string>>();
  for (const topic of ['init', 'chain', 'spawn']) {
    const src = readYaml(join(dir, `${topic}.yaml`));
    out.push({ src, exprs: ruleExprs((src.data as { rules?: unknown }).rules, ['rules']) });
  }
  for (const file of yamlIn(join(dir, 'ops'))) {
    const src = readYaml(file);
    const op = src.data as Record<string, unknown>;
    out.push({ src, exprs: [...ruleExprs(op.prep, ['prep']), ...ruleExprs(op.issue, ['issue']), { path: ['multishot'], source: op.multishot, withRes: false }] });
  }
  for (const file of yamlIn(join(dir, 'profiles'))) {
    const src = readYaml(file);
    const p = src.data as { name: string; features?: Record<string, unknown>; divergences?: { override?: Record<string, unknown> }[] };
    features.set(p.name, new Set(Object.keys(p.features ?? {})));
    const exprs = (p.divergences ?? []).flatMap((d, i) => {
      const at = ['divergences', i, 'override'];
      const o = d.override ?? {};
      return [
        { path: [...at, 'when'], source: o.when, withRes: false },
        { path: [...at, 'res'], source: o.res, withRes: false },
        ...listAt(o.one_of ?? [], [...at, 'one_of'], false),
        { path: [...at, 'breaks_link'], source: o.breaks_link, withRes: true },
      ];
    });
    out.push({ src, exprs, profile: p.name });
  }
  return { files: out, features };
}

/** The problem with one name of an expression, or undefined when it resolves. */
function problem(name: string, t: NameTable, features: Map<string, Set<string>>, withRes: boolean, profiles: string[]): string | undefined {
  if (t.constants.has(name) || t.facts.has(name)) return undefined;
  if (t.resultNames.has(name)) return withRes ? undefined : `"${name}" is only known where the outcome's res is (breaks_link, cqe_flags, effects bytes)`;
  if (name.startsWith('kernel.')) {
    const feature = name.slice('kernel.'.length);
    const lacking = profiles.filter((p) => !features.get(p)?.has(feature));
    return lacking.length ? `unknown name "${name}": profile ${lacking.join(', ')} has no feature "${feature}"` : undefined;
  }
  const group = name.includes('.') ? name.slice(0, name.indexOf('.') + 1) : '';
  const near = group ? [...t.facts.keys()].filter((k) => k.startsWith(group)) : [];
  return `unknown name "${name}"${near.length ? ` (${group}* has ${near.map((k) => k.slice(group.length)).join(', ')})` : ' (not a fact, errno or constant)'}`;
}

/**
 * Resolves every name of every expression in the spec directory against the table. Returns one error
 * per unknown name, at its file:line:col.
 */
export function checkExprNames(dir: string, t: NameTable): InputError[] {
  const errors: InputError[] = [];
  const { files, features } = expressions(dir);
  const allProfiles = [...features.keys()];
  for (const { src, exprs, profile } of files) {
    for (const { path, source, withRes } of exprs) {
      if (typeof source !== 'string' || source === 'pending' || /^>=/.test(source)) continue;
      let found;
      try {
        found = exprNames(source);
      } catch {
        continue; // a syntax error: the loader reports it
      }
      for (const name of found.names) {
        const why = problem(name, t, features, withRes, profile ? [profile] : allProfiles);
        if (why) errors.push(src.errorAtWord(path, name, why));
      }
      for (const fn of found.calls) {
        if (!EXPR_FUNCTIONS.includes(fn)) errors.push(src.errorAtWord(path, fn, `unknown function "${fn}" (known: ${EXPR_FUNCTIONS.join(', ')})`));
      }
    }
  }
  return errors;
}
