import type { ExecFixture } from './execForm.js';
import { cString } from './cString.js';

export interface RenderedFixtures {
  /** the enum, the fixtures[] array and make_fixtures(); empty without fixtures */
  code: string;
  /** runtime sections the fixtures need */
  sections: string[];
}

/**
 * The case's fixtures as C: `enum { FX_P, ..., NR_FIXTURES }`, `fixtures[]` with every fd -1 (a GNU range designator),
 * and make_fixtures(), which creates them in order (each kind's runtime function from
 * spec/fixtures.yaml) and stops at the first that fails or skips.
 */
export function renderFixtures(fixtures: ExecFixture[]): RenderedFixtures {
  if (!fixtures.length) return { code: '', sections: [] };
  const calls = fixtures.map((f, i) => {
    const call = `${f.fn}(${[`&fixtures[${f.ident}]`, cString(f.name), ...f.args.map(String)].join(', ')})`;
    return i === 0 ? `\tint ret = ${call};\n\n` : `\tif (!ret)\n\t\tret = ${call};\n`;
  });
  // one fixture: its call is the function's value
  const body = fixtures.length === 1 ? calls[0]!.replace(/^\tint ret = (.*);\n\n$/, '\treturn $1;') : calls.join('') + '\treturn ret;';
  const code = [
    `enum { ${fixtures.map((f) => f.ident).join(', ')}, NR_FIXTURES };`,
    'static struct t_fixture fixtures[NR_FIXTURES] = { [0 ... NR_FIXTURES - 1] = { .fd = -1, .wfd = -1 } };',
    '',
    '/* create every fixture in the temp dir, up to the first that fails or skips */',
    'static int make_fixtures(void)',
    '{',
    body,
    '}',
    '',
  ].join('\n');
  return { code, sections: ['t_fixtures_close', ...new Set(fixtures.map((f) => f.fn))] };
}
