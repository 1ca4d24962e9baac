import type { FieldValue, FixtureInstanceSpec, FixturesSpec } from '../types.js';
import type { YamlSource } from './yamlSource.js';

/** Cross-checks spec/fixtures.yaml: runtime args name params, defaults fit, generated fixtures and refs resolve. */
export function checkFixtures(src: YamlSource, f: FixturesSpec): void {
  for (const [kind, k] of Object.entries(f.kinds)) {
    for (const [name, p] of Object.entries(k.params)) {
      const at = ['kinds', kind, 'params', name];
      if (p.type === 'int' && (typeof p.default !== 'number' || (p.range && (p.default < p.range[0] || p.default > p.range[1])))) {
        throw src.error([...at, 'default'], 'must be an integer within range');
      }
      if (p.type === 'bool' && typeof p.default !== 'boolean') throw src.error([...at, 'default'], 'must be true or false');
      if (p.type === 'enum' && (!p.values || !p.values.includes(String(p.default)))) throw src.error([...at, 'default'], 'must be one of values');
      if (p.type === 'fixture' && p.default !== '') throw src.error([...at, 'default'], 'must be "" (no fixture)');
    }
    k.runtime.args.forEach((a, i) => {
      if ('param' in a && !k.params[a.param]) throw src.error(['kinds', kind, 'runtime', 'args', i, 'param'], `kind ${kind} has no param "${a.param}"`);
    });
  }
  const instances = (group: 'fixtures' | 'exec_fixtures'): Record<string, FixtureInstanceSpec> => f.generate[group];
  for (const group of ['fixtures', 'exec_fixtures'] as const) {
    for (const [name, inst] of Object.entries(instances(group))) {
      const k = f.kinds[inst.kind];
      if (!k) throw src.error(['generate', group, name, 'kind'], `unknown fixture kind "${inst.kind}"`);
      for (const param of Object.keys(inst.params ?? {})) {
        if (!k.params[param]) throw src.error(['generate', group, name, 'params', param], `kind ${inst.kind} has no param "${param}"`);
      }
    }
  }
  const all = { ...f.generate.fixtures, ...f.generate.exec_fixtures };
  for (const table of ['refs', 'exec_refs'] as const) {
    for (const [ref, values] of Object.entries(f.generate[table])) {
      values.forEach((v: FieldValue, i) => {
        if (typeof v !== 'object') return;
        const [name, want] = 'fd' in v ? [v.fd, v.end === 'w' ? 'fd.w' : 'fd'] : 'path' in v ? [v.path, 'path'] : [undefined, undefined];
        if (name === undefined) return;
        const inst = all[name];
        if (!inst) throw src.error(['generate', table, ref, i], `no generated fixture named "${name}"`);
        if (!f.kinds[inst.kind]!.refs.includes(want as 'fd')) throw src.error(['generate', table, ref, i], `fixture ${name} (${inst.kind}) has no ${want}`);
      });
    }
  }
}
