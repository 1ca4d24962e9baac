import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { FixturesSpec, OpSpec, ProfileSpec, RingSpec, Rule, Spec, TopicRule } from '../types.js';
import { checkFixtures } from './checkFixtures.js';
import { compile } from '../expr.js';
import { readYaml, type YamlSource } from './yamlSource.js';
import { schemaCheck, type SchemaName } from './schemaCheck.js';

export const SPEC_DIR = fileURLToPath(new URL('../', import.meta.url));

type RuleEntry = Rule & { kind: string; op?: string };

function load(file: string, schema: SchemaName): YamlSource {
  const src = readYaml(file);
  schemaCheck(src, schema);
  return src;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(dir, f));
}

/** Checks that every expression in a rule list parses, pointing at the offending field. */
function checkExprs(src: YamlSource, base: (string | number)[], rules: Record<string, unknown>[], keys: string[]): void {
  rules.forEach((r, i) => {
    for (const k of keys) {
      const v = r[k];
      const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
      list.forEach((e, j) => {
        if (typeof e !== 'string' || e === 'pending' || /^>=/.test(e)) return;
        try {
          compile(e);
        } catch (err) {
          throw src.error(Array.isArray(v) ? [...base, i, k, j] : [...base, i, k], `bad expression: ${(err as Error).message.split('\n')[0]}`);
        }
      });
    }
  });
}

function addRules(rules: Map<string, RuleEntry>, src: YamlSource, base: (string | number)[], list: Rule[], kind: string, op?: string): void {
  list.forEach((r, i) => {
    if (rules.has(r.id)) throw src.error([...base, i, 'id'], `duplicate rule id "${r.id}"`);
    rules.set(r.id, { id: r.id, statement: r.statement, source: r.source, kind, ...(op ? { op } : {}) });
  });
}

/** Loads and cross-checks the whole spec directory. Throws InputError on the first problem. */
export function loadSpec(dir: string = SPEC_DIR): Spec {
  const rules = new Map<string, RuleEntry>();
  const ringSrc = load(join(dir, 'ring.yaml'), 'ring');
  const ring = ringSrc.data as RingSpec;

  const topics: Record<'init' | 'chain' | 'spawn', TopicRule[]> = { init: [], chain: [], spawn: [] };
  for (const topic of ['init', 'chain', 'spawn'] as const) {
    const src = load(join(dir, `${topic}.yaml`), 'rules');
    const data = src.data as { topic: string; rules: TopicRule[] };
    if (data.topic !== topic) throw src.error(['topic'], `must be "${topic}" in ${topic}.yaml`);
    checkExprs(src, ['rules'], data.rules as unknown as Record<string, unknown>[], ['when', 'res']);
    addRules(rules, src, ['rules'], data.rules, topic);
    topics[topic] = data.rules;
  }

  // the rules of the setup-flag constraints io_uring_setup() enforces
  ring.setup_flags.forEach((f, i) => {
    if (!f.rule) return;
    if (rules.has(f.rule.id)) throw ringSrc.error(['setup_flags', i, 'rule', 'id'], `duplicate rule id "${f.rule.id}"`);
    rules.set(f.rule.id, { id: f.rule.id, statement: f.rule.statement, source: f.source ?? '', kind: 'setup' });
  });

  const ops: Record<string, OpSpec> = {};
  for (const file of yamlFiles(join(dir, 'ops'))) {
    const src = load(file, 'op');
    const raw = src.data as OpSpec;
    if (ops[raw.short]) throw src.error(['short'], `duplicate op "${raw.short}"`);
    const given = (raw as Partial<OpSpec>).supports ?? {};
    const op: OpSpec = { ...raw, supports: Object.assign({ ioprio: false, buffer_select: false, iopoll: false, needs_file: false }, given) };
    checkExprs(src, ['prep'], op.prep as unknown as Record<string, unknown>[], ['when', 'res']);
    checkExprs(src, ['issue'], op.issue as unknown as Record<string, unknown>[], ['when', 'res', 'one_of', 'breaks_link', 'cqe_flags']);
    addRules(rules, src, ['prep'], op.prep, 'prep', op.short);
    addRules(rules, src, ['issue'], op.issue, 'issue', op.short);
    for (const [slot, pats] of Object.entries(op.liburing?.names ?? {})) {
      for (const pat of pats) {
        const hit = Object.keys(ring.constants).some((c) => (pat.endsWith('*') ? c.startsWith(pat.slice(0, -1)) : c === pat));
        if (!hit) throw src.error(['liburing', 'names', slot], `"${pat}" names no constant of spec/ring.yaml`);
      }
    }
    ops[op.short] = op;
  }

  const profiles: Record<string, ProfileSpec> = {};
  for (const file of yamlFiles(join(dir, 'profiles'))) {
    const src = load(file, 'profile');
    const p = src.data as ProfileSpec;
    p.features ??= {};
    for (const name of Object.keys(p.opcodes)) {
      if (!ops[name]) throw src.error(['opcodes', name], `unknown op "${name}" (no spec/ops file has short: ${name})`);
    }
    for (const f of p.setup_flags) {
      if (!ring.setup_flags.some((s) => s.name === f)) throw src.error(['setup_flags'], `unknown setup flag "${f}"`);
    }
    (p.divergences ?? []).forEach((d, i) => {
      if (!rules.has(d.rule)) throw src.error(['divergences', i, 'rule'], `unknown rule id "${d.rule}"`);
    });
    if (profiles[p.name]) throw src.error(['name'], `duplicate profile "${p.name}"`);
    profiles[p.name] = p;
  }

  const fixturesSrc = load(join(dir, 'fixtures.yaml'), 'fixtures');
  const fixtures = fixturesSrc.data as FixturesSpec;
  checkFixtures(fixturesSrc, fixtures);

  return { ring, ops, ...topics, profiles, fixtures, rules };
}
