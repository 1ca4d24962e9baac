import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { vocabulary } from '../../generators/oracle/vocabulary.js';
import { checkExprNames } from './checkNames.js';
import { loadSpec, SPEC_DIR } from './loadSpec.js';

let dirs: string[] = [];
afterEach(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); dirs = []; });

function mutated(file: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'uringspec-names-'));
  dirs.push(dir);
  cpSync(SPEC_DIR, dir, { recursive: true });
  const p = join(dir, file);
  const before = readFileSync(p, 'utf8');
  const after = edit(before);
  expect(after).not.toBe(before);
  writeFileSync(p, after);
  return dir;
}

/** line:col of the first occurrence of `word` after `anchor` in a file of a spec dir */
function position(dir: string, file: string, anchor: string, word: string): string {
  const text = readFileSync(join(dir, file), 'utf8');
  const at = text.indexOf(word, text.indexOf(anchor));
  const before = text.slice(0, at).split('\n');
  return `${before.length}:${before.at(-1)!.length + 1}`;
}

const names = vocabulary(loadSpec());

describe('checkExprNames', () => {
  it('finds no unknown name in the real spec', () => {
    expect(checkExprNames(SPEC_DIR, names).map((e) => e.message)).toEqual([]);
  });

  it('reports an unknown fact at the file:line:col of the name itself', () => {
    const dir = mutated('ops/read.yaml', (t) => t.replace('when: fd.kind == "dir"', 'when: fd.knd == "dir"'));
    const errors = checkExprNames(dir, names);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toBe(`${join(dir, 'ops/read.yaml')}:${position(dir, 'ops/read.yaml', 'when: fd.knd', 'fd.knd')}: ${errors[0]!.field}: unknown name "fd.knd" (fd.* has kind, open, avail, writers, readers, size, pos, self, acc, ring_files)`);
  });

  it.each([
    ['an unknown constant', 'ops/nop.yaml', (t: string) => t.replace('IORING_NOP_INJECT_RESULT) != 0', 'IORING_NOP_INJECT) != 0'), /unknown name "IORING_NOP_INJECT" \(not a fact, errno or constant\)/],
    ['res in a when', 'ops/read.yaml', (t: string) => t.replace('when: fd.kind == "dir"', 'when: res == 0'), /"res" is only known where the outcome's res is/],
    ['a feature one profile lacks', 'profiles/upstream-6.18.yaml', (t: string) => t.replace('  block: true\n', ''), /unknown name "kernel\.block": profile upstream-6\.18 has no feature "block"/],
    ['an unknown function', 'ops/read.yaml', (t: string) => t.replace('res: min(sqe.len, fd.avail)', 'res: minimum(sqe.len, fd.avail)'), /unknown function "minimum"/],
    ['an unknown name in a divergence override', 'profiles/rfc-v1-6.12.yaml', (t: string) => t.replace('override: { res: -ECANCELED }', 'override: { res: -ECANCELLED }'), /rfc-v1-6\.12\.yaml:\d+:\d+: divergences\.\d+\.override\.res: unknown name "ECANCELLED"/],
    ['an unknown name in an init rule', 'init.yaml', (t: string) => t.replace('when: sqe.personality != 0', 'when: sqe.persona != 0'), /init\.yaml:\d+:\d+: rules\.\d+\.when: unknown name "sqe\.persona"/],
  ])('reports %s', (_name, file, edit, message) => {
    const errors = checkExprNames(mutated(file, edit), names);
    expect(errors.map((e) => e.message).join('\n')).toMatch(message);
  });
});
