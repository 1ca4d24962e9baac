import type { Fixture } from '../spec/types.js';
import { cString } from './cString.js';
import { fixtureIdent } from './fixtureIdent.js';
import { FIXTURE_KINDS, helperExit } from './fixtureKinds.js';

export interface RenderedFixtures {
  /** the enum, the fixtures[] array and make_fixtures(); empty without fixtures */
  code: string;
  /** runtime sections the fixtures need */
  sections: string[];
}

/** Every copy of the helper reads its exit code from the one ./.helper-exit, so they must agree. */
function checkHelperExits(fixtures: Record<string, Fixture>): void {
  let first: [string, number] | undefined;
  for (const [name, f] of Object.entries(fixtures)) {
    const exit = helperExit(f);
    if (exit === undefined) continue;
    if (!Number.isInteger(exit) || exit < 0 || exit > 255) throw new Error(`fixture ${name}: exit ${exit} is not an exit code (0..255)`);
    if (first && first[1] !== exit) {
      throw new Error(`fixtures ${first[0]} (exit ${first[1]}) and ${name} (exit ${exit}) disagree: every copy of the exec helper reads the one ./.helper-exit`);
    }
    first ??= [name, exit];
  }
}

/**
 * The case's fixtures as C: `enum { FX_P, ..., NR_FIXTURES }`, `fixtures[]` with every fd -1,
 * and make_fixtures(), which creates them in order and stops at the first that fails or skips.
 */
export function renderFixtures(fixtures: Record<string, Fixture> = {}): RenderedFixtures {
  const names = Object.keys(fixtures);
  if (!names.length) return { code: '', sections: [] };
  const idents = new Set<string>();
  for (const name of names) {
    if (!/^[A-Za-z0-9._-]+$/.test(name) || name === '.' || name === '..') {
      throw new Error(`fixture name "${name}" is not a plain file name`);
    }
    if (name === '.helper-exit') throw new Error('fixture name ".helper-exit" is the exec helper\'s exit code file');
    const kind = fixtures[name]!.kind;
    if (!FIXTURE_KINDS[kind]) throw new Error(`fixture ${name}: unknown kind "${kind}"`);
    if (idents.has(fixtureIdent(name))) throw new Error(`fixture names collide in C: ${fixtureIdent(name)}`);
    idents.add(fixtureIdent(name));
  }
  checkHelperExits(fixtures);
  const calls = names.map((name, i) => {
    const f = fixtures[name]!;
    const fn = `t_fixture_${f.kind.replace(/-/g, '_')}`;
    const args = [`&fixtures[${fixtureIdent(name)}]`, cString(name), ...FIXTURE_KINDS[f.kind].args(f, i)];
    return `\t/* ${name}: ${f.kind} */\n\tret = ${fn}(${args.join(', ')});\n\tif (ret)\n\t\treturn ret;\n`;
  });
  const code = [
    `enum { ${names.map(fixtureIdent).join(', ')}, NR_FIXTURES };`,
    '',
    'static struct t_fixture fixtures[NR_FIXTURES] = {',
    ...names.map((n) => `\t[${fixtureIdent(n)}] = { .fd = -1, .wfd = -1 },`),
    '};',
    '',
    '/* make_fixtures: create every fixture in the temp dir */',
    'static int make_fixtures(void)',
    '{',
    '\tint ret;',
    '',
    calls.join('\n') + '\treturn T_EXIT_PASS;',
    '}',
    '',
  ].join('\n');
  const sections = ['t_fixtures_close', ...new Set(names.map((n) => `t_fixture_${fixtures[n]!.kind.replace(/-/g, '_')}`))];
  return { code, sections };
}
