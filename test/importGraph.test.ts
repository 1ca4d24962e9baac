import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../spec/load/loadSpec.js';
import { INTERPRETING_STAGES, leaksIn, read, specNames, tsSources } from './semanticsLeak.js';

/** Data flows one way: spec -> generators -> c-templates -> runner. An import may only point back. */
const STAGES = ['spec', 'generators', 'c-templates', 'runner'] as const;
const root = resolve(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

describe('import graph', () => {
  it.each(STAGES.map((s, i) => [s, i] as const))('%s imports only from its own or earlier stages', (stage, rank) => {
    for (const file of sources(join(root, stage))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/from '(\.[^']+)'/g)) {
        const target = relative(root, resolve(dirname(file), m[1]!)).split('/')[0]!;
        const targetRank = STAGES.indexOf(target as (typeof STAGES)[number]);
        if (targetRank < 0) continue;
        expect(targetRank, `${relative(root, file)} imports ${m[1]}`).toBeLessThanOrEqual(rank);
      }
    }
  });

  it('keeps io_uring semantics out of the renderer and the runner: no errno tables, no opcode branches', () => {
    for (const stage of ['c-templates', 'runner']) {
      for (const file of sources(join(root, stage))) {
        const text = readFileSync(file, 'utf8');
        expect(text, relative(root, file)).not.toMatch(/\bECANCELED\s*[:=]\s*-?125\b|\bEINVAL\s*[:=]\s*-?22\b/);
        expect(text, relative(root, file)).not.toMatch(/\.op\s*===?\s*'(READ|WRITE|NOP|CLONE|EXEC|TIMEOUT|LINK_TIMEOUT|OPENAT|CLOSE)'/);
      }
    }
  });
});

describe('no io_uring vocabulary outside spec/', () => {
  const spec = loadSpec();
  const names = specNames(spec);
  // sentences that name the project's subject, not a rule: the CLI's description and the reference's titles
  const prose = [/\.description\('conformance corpus/, /^\s*'# uringspec: expected behaviour/, /topicPage\(spec, '/];

  it('the oracle, the renderer and the runner name no op, no IORING_OP_* and no errno (the YAML does)', () => {
    const leaks = INTERPRETING_STAGES.flatMap((stage) => tsSources(root, stage).flatMap((f) => leaksIn(f, read(root, f), names, prose)));
    expect(leaks.map((l) => `${l.file}:${l.line}: ${l.name} in ${l.text}`)).toEqual([]);
  });

  it('finds a planted op name, opcode name and errno, and leaves comments and Node error codes alone', () => {
    const planted = [
      "if (m.op.short === 'CLONE') return;",
      'const res = { eq: -ECANCELED };',
      "const e = errno(s, 'EINVAL');",
      'sqe.opcode = IORING_OP_NOP;',
      '// a CLONE -> EXEC chain cancels with -ECANCELED',
      "if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;",
    ].join('\n');
    expect(leaksIn('planted.ts', planted, names).map((l) => [l.line, l.name])).toEqual([[1, "'CLONE'"], [2, '-ECANCELED'], [3, "'EINVAL'"], [4, 'IORING_OP_NOP']]);
  });
});
