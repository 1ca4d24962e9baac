import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSpec, SPEC_DIR } from './loadSpec.js';

let dirs: string[] = [];
afterEach(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); dirs = []; });

/** A copy of spec/ with one file edited. */
function mutated(file: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'uringspec-spec-'));
  dirs.push(dir);
  cpSync(SPEC_DIR, dir, { recursive: true });
  const p = join(dir, file);
  writeFileSync(p, edit(readFileSync(p, 'utf8')));
  return dir;
}

describe('loadSpec', () => {
  it('loads the real spec with every rule id unique and every op in a profile', () => {
    const spec = loadSpec();
    expect(spec.rules.size).toBeGreaterThanOrEqual(25);
    for (const p of Object.values(spec.profiles)) for (const op of Object.keys(p.opcodes)) expect(spec.ops[op]).toBeDefined();
  });

  it.each([
    ['a profile naming an unknown op', 'profiles/upstream-6.18.yaml', (t: string) => t.replace('  NOP: 0', '  NOPE: 0'), /upstream-6\.18\.yaml:\d+:\d+: opcodes\.NOPE: unknown op "NOPE"/],
    ['an opcode out of range', 'profiles/upstream-6.18.yaml', (t: string) => t.replace('READ: 22', 'READ: 300'), /upstream-6\.18\.yaml:\d+:\d+: opcodes\.READ: must be <= 255/],
    ['a syntax error in a rule expression', 'ops/nop.yaml', (t: string) => t.replace('when: band(sqe.rw_flags, bnot(kernel.nop_flags_valid)) != 0', 'when: band(sqe.rw_flags, != 0'), /nop\.yaml:\d+:\d+: prep\.0\.when: bad expression/],
    ['a duplicate rule id', 'ops/nop.yaml', (t: string) => t.replace('id: nop.issue.success', 'id: nop.issue.inject-result'), /nop\.yaml:\d+:\d+: issue\.3\.id: duplicate rule id/],
    ['a rule id that does not name its op and phase', 'ops/nop.yaml', (t: string) => t.replace('id: nop.issue.success', 'id: success'), /nop\.yaml:\d+:\d+: issue\.3\.id: must match pattern/],
    ['an unknown field role', 'ops/nop.yaml', (t: string) => t.replace('role: ignored, doc: "posted as big_cqe[0]', 'role: sometimes, doc: "posted as big_cqe[0]'), /nop\.yaml:\d+:\d+: fields\.off\.role: must be one of/],
    ['a divergence naming an unknown rule', 'profiles/rfc-v1-6.12.yaml', (t: string) => t.replace('rule: exec.issue.empty-path-fd', 'rule: spawn.member.nothing'), /rfc-v1-6\.12\.yaml:\d+:\d+: divergences\.0\.rule: unknown rule id/],
    ['an issue outcome that does not state breaks_link', 'ops/nop.yaml', (t: string) => t.replace(/(id: nop\.issue\.success[\s\S]*?)\n    breaks_link: false/, '$1'), /nop\.yaml:\d+:\d+: issue\.3: missing required field "breaks_link"/],
    ['malformed YAML', 'chain.yaml', (t: string) => `${t}\n  - { id: broken\n`, /chain\.yaml:\d+:\d+: \(yaml\)/],
  ])('rejects %s with file:line:col and the field', (_name, file, edit, message) => {
    expect(() => loadSpec(mutated(file, edit))).toThrow(message);
  });
});
