import type { ExecFixture } from './execForm.js';
import { cString } from './cString.js';

export interface RenderedFixtures {
  /** the enum, the fixtures[] array and make_fixtures(); empty without fixtures */
  code: string;
  /** runtime sections the fixtures need */
  sections: string[];
}

/**
 * The case's fixtures as C: `enum { FX_P, ..., NR_FIXTURES }`, `fixtures[]` with every fd -1,
 * and make_fixtures(), which creates them in order (each kind's runtime function from
 * spec/fixtures.yaml) and stops at the first that fails or skips.
 */
export function renderFixtures(fixtures: ExecFixture[]): RenderedFixtures {
  if (!fixtures.length) return { code: '', sections: [] };
  const calls = fixtures.map((f) => {
    const args = [`&fixtures[${f.ident}]`, cString(f.name), ...f.args.map(String)];
    return `\tret = ${f.fn}(${args.join(', ')});\n\tif (ret)\n\t\treturn ret;\n`;
  });
  const code = [
    `enum { ${fixtures.map((f) => f.ident).join(', ')}, NR_FIXTURES };`,
    '',
    'static struct t_fixture fixtures[NR_FIXTURES] = {',
    ...fixtures.map((f) => `\t[${f.ident}] = { .fd = -1, .wfd = -1 },`),
    '};',
    '',
    '/* create every fixture in the temp dir */',
    'static int make_fixtures(void)',
    '{',
    '\tint ret;',
    '',
    calls.join('') + '\treturn T_EXIT_PASS;',
    '}',
    '',
  ].join('\n');
  return { code, sections: ['t_fixtures_close', ...new Set(fixtures.map((f) => f.fn))] };
}
