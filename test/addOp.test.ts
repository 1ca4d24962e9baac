import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Case, Spec } from '../spec/types.js';
import { loadSpec, SPEC_DIR } from '../spec/load/loadSpec.js';
import { checkExprNames } from '../spec/load/checkNames.js';
import { parseCase } from '../spec/case/parseCase.js';
import { vocabulary } from '../generators/oracle/vocabulary.js';
import { linkedChain } from '../generators/linkedChain.js';
import { predict } from '../generators/oracle/predict.js';
import { buildC } from '../c-templates/testing/buildC.js';
import { prepareCase } from '../runner/prepareCase.js';
import { opPage } from '../runner/docs/renderReference.js';

/**
 * README "How to add an op", followed by YAML alone in a temp copy of spec/: a throwaway op that reads a
 * new constant, a new errno name and a new profile feature, and uses a fixture ref. No TypeScript or C
 * changes; the loader, validate's name check, the generators, the oracle, the renderer and gcc take it.
 * Its behaviour is made up: the expectations below come from the YAML this test writes.
 */
const OP_YAML = `name: IORING_OP_THROWAWAY
short: THROWAWAY
summary: A made-up op for test/addOp.test.ts; it completes with len unless a rule below says otherwise.
supports: { ioprio: false, buffer_select: false, iopoll: false, needs_file: false }
host_safe: true
fields:
  fd: { role: input, doc: "an fd it looks at", values: [{ ref: fd }] }
  len: { role: input, doc: "the result", values: [{ const: 0 }, { const: 7, weight: 2 }, { range: [1, 200] }] }
  addr: { role: must-be-zero, doc: "must be zero", values: [{ const: 0 }] }
prep:
  - id: throwaway.prep.addr-must-be-zero
    statement: A non-zero addr fails prep with -EINVAL.
    source: "test/addOp.test.ts (made up)"
    when: sqe.addr != 0
    res: -EINVAL
    field: addr
    invalid: [1, 4096]
  - id: throwaway.prep.len-too-big
    statement: A len above the profile's throwaway_len_max fails prep with -E2BIG.
    source: "test/addOp.test.ts (made up)"
    when: sqe.len > kernel.throwaway_len_max
    res: -E2BIG
issue:
  - id: throwaway.issue.closed-fd
    statement: A closed fd completes with -EBADF and fails the link.
    source: "test/addOp.test.ts (made up)"
    when: fd.kind == "closed"
    res: -EBADF
    breaks_link: true
  - id: throwaway.issue.magic
    statement: len THROWAWAY_MAGIC completes with -EOPNOTSUPP and fails the link.
    source: "test/addOp.test.ts (made up)"
    when: sqe.len == THROWAWAY_MAGIC
    res: -EOPNOTSUPP
    breaks_link: true
  - id: throwaway.issue.success
    statement: Otherwise it completes with len.
    source: "test/addOp.test.ts (made up)"
    when: true
    res: sqe.len
    breaks_link: false
`;

/** the next opcode after 6.18's last (PIPE, 62): the profile's op_last moves up with it */
const OPCODE = 63;
const LEN_MAX = 100;
const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

type Step = 'constant' | 'errno' | 'feature' | 'op_last';

/** A copy of spec/ with the op file and every step of the README, except those left out. */
function specWithOp(omit: Step[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'uringspec-addop-'));
  dirs.push(dir);
  cpSync(SPEC_DIR, dir, { recursive: true });
  writeFileSync(join(dir, 'ops', 'throwaway.yaml'), OP_YAML);
  const edit = (file: string, from: string, to: string) => {
    const p = join(dir, file);
    const text = readFileSync(p, 'utf8');
    if (!text.includes(from)) throw new Error(`${file} has no "${from}"`);
    writeFileSync(p, text.replace(from, to));
  };
  if (!omit.includes('constant')) edit('ring.yaml', '\nconstants:\n', '\nconstants:\n  THROWAWAY_MAGIC: 7\n');
  if (!omit.includes('errno')) edit('ring.yaml', '\nerrno:\n', '\nerrno:\n  E2BIG: 7\n');
  edit('profiles/upstream-6.18.yaml', '\nopcodes:\n', `\nopcodes:\n  THROWAWAY: ${OPCODE}\n`);
  if (!omit.includes('op_last')) edit('profiles/upstream-6.18.yaml', 'op_last: 63', `op_last: ${OPCODE + 1}`);
  if (!omit.includes('feature')) {
    edit('profiles/upstream-6.18.yaml', '\nfeatures:\n', `\nfeatures:\n  throwaway_len_max: ${LEN_MAX}\n`);
    // a kernel.* name must be a feature of every profile, even one without the op
    edit('profiles/rfc-v1-6.12.yaml', '\nfeatures:\n', '\nfeatures:\n  throwaway_len_max: 0\n');
  }
  return dir;
}

/** What `uringspec validate` reports about the spec's expressions, one line each. */
const nameProblems = (dir: string, spec: Spec) => checkExprNames(dir, vocabulary(spec)).map((e) => e.message);

describe('adding an op by YAML alone (README: How to add an op)', () => {
  const dir = specWithOp();
  const spec = loadSpec(dir);
  const profile = spec.profiles['upstream-6.18']!;

  it('is loaded, with its rules, and every name in its expressions resolves', () => {
    expect(spec.ops.THROWAWAY?.name).toBe('IORING_OP_THROWAWAY');
    for (const id of ['throwaway.prep.addr-must-be-zero', 'throwaway.prep.len-too-big', 'throwaway.issue.magic', 'throwaway.issue.success']) {
      expect(spec.rules.get(id)?.op, id).toBe('THROWAWAY');
    }
    expect(nameProblems(dir, spec)).toEqual([]);
  });

  it.each([
    ['the constant in spec/ring.yaml', 'constant', /throwaway\.yaml:\d+:\d+: issue\.1\.when: unknown name "THROWAWAY_MAGIC"/],
    ['the errno name in spec/ring.yaml', 'errno', /throwaway\.yaml:\d+:\d+: prep\.1\.res: unknown name "E2BIG"/],
    ['the feature in every profile', 'feature', /throwaway\.yaml:\d+:\d+: prep\.1\.when: unknown name "kernel\.throwaway_len_max": profile .*has no feature/],
  ] as const)('without %s, validate names the line that needs it', (_what, step, message) => {
    const bad = specWithOp([step]);
    const problems = nameProblems(bad, loadSpec(bad));
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) expect(p).toMatch(message);
  });

  it('is generated from its fields only where a profile gives it an opcode', () => {
    const seen = fc.sample(linkedChain(spec, profile), { seed: 11, numRuns: 300 }).flatMap((c) => c.sqes).filter((s) => s.op === 'THROWAWAY');
    expect(seen.length).toBeGreaterThan(10);
    const lens = new Set(seen.map((s) => s.fields?.len));
    expect(lens.has(0) && lens.has(7)).toBe(true);
    for (const l of lens) expect(typeof l === 'number' && l >= 0 && l <= 200, String(l)).toBe(true);
    // the prep rule's invalid values are planted now and then, the declared one otherwise
    expect(seen.some((s) => s.fields?.addr === 1 || s.fields?.addr === 4096)).toBe(true);
    expect(seen.some((s) => s.fields?.addr === 0)).toBe(true);
    expect(seen.every((s) => s.fields?.fd !== undefined && typeof s.fields.fd === 'object' && 'fd' in s.fields.fd)).toBe(true);
    const rfc = spec.profiles['rfc-v1-6.12']!;
    const onRfc = fc.sample(linkedChain(spec, rfc), { seed: 11, numRuns: 100 }).flatMap((c) => c.sqes);
    expect(onRfc.some((s) => s.op === 'THROWAWAY')).toBe(false);
  });

  const handCase = (): Case => parseCase('cases/throwaway/each-rule.yaml', `description: each rule of the throwaway op once
rules: [throwaway.issue.success, throwaway.issue.magic, throwaway.prep.addr-must-be-zero, throwaway.prep.len-too-big, throwaway.issue.closed-fd]
provenance: { kind: hand-written }
ring: { entries: 8, flags: [IORING_SETUP_SUBMIT_ALL] }
fixtures:
  p: { kind: pipe }
  c: { kind: closed-fd }
sqes:
  - { op: THROWAWAY, fields: { fd: { fd: p }, len: 5 } }
  - { op: THROWAWAY, fields: { fd: { fd: p }, len: 7 } }
  - { op: THROWAWAY, fields: { fd: { fd: p }, len: 5, addr: 1 } }
  - { op: THROWAWAY, fields: { fd: { fd: p }, len: ${LEN_MAX + 1} } }
  - { op: THROWAWAY, fields: { fd: { fd: c }, len: 5 } }
  - { op: THROWAWAY, flags: [IOSQE_IO_LINK], fields: { fd: { fd: p }, len: 7 } }
  - { op: NOP }
`, spec);

  it('is predicted by the oracle from its rules, the constant, the errno and the profile feature', () => {
    const got = predict(spec, profile, handCase());
    const res = Object.fromEntries(got.cqes.map((q) => [q.user_data, q.res]));
    const because = Object.fromEntries(got.cqes.map((q) => [q.user_data, q.because]));
    expect(got.submitted).toEqual([7]);
    expect(res).toEqual({ 1: { eq: 5 }, 2: { eq: -95 }, 3: { eq: -22 }, 4: { eq: -7 }, 5: { eq: -9 }, 6: { eq: -95 }, 7: { eq: -125 } });
    expect(because[1]).toContain('throwaway.issue.success');
    expect(because[2]).toContain('throwaway.issue.magic');
    expect(because[3]).toContain('throwaway.prep.addr-must-be-zero');
    expect(because[4]).toContain('throwaway.prep.len-too-big');
    expect(because[5]).toContain('throwaway.issue.closed-fd');
  });

  it('is refused by io_init_req() on a profile whose op_last was not moved past its opcode', () => {
    const bad = specWithOp(['op_last']);
    const s = loadSpec(bad);
    const got = predict(s, s.profiles['upstream-6.18']!, parseCase('x.yaml', 'description: x\nrules: [init.opcode.unknown]\nprovenance: { kind: hand-written }\nring: { entries: 1 }\nfixtures: { p: { kind: pipe } }\nsqes: [{ op: THROWAWAY, fields: { fd: { fd: p }, len: 5 } }]\n', s));
    expect(got.cqes.map((q) => [q.user_data, q.res])).toEqual([[1, { eq: -22 }]]);
    expect(got.cqes[0]!.because).toContain('init.opcode.unknown');
  });

  it('is rendered as C that names its opcode and compiles with -Wall -Wextra -Werror against liburing', () => {
    const root = mkdtempSync(join(tmpdir(), 'uringspec-addop-c-'));
    dirs.push(root);
    const src = prepareCase(spec, profile, 'throwaway/each-rule', handCase()).source;
    expect(src).toContain(`#define IORING_OP_THROWAWAY ${OPCODE}`);
    expect(src.match(/sqe->opcode = IORING_OP_THROWAWAY;/g)?.length).toBe(6);
    buildC(src, root);
    const generated = fc.sample(linkedChain(spec, profile), { seed: 11, numRuns: 300 }).find((c) => c.sqes.some((s) => s.op === 'THROWAWAY'))!;
    const gsrc = prepareCase(spec, profile, 'throwaway/generated', generated).source;
    expect(gsrc).toContain(`#define IORING_OP_THROWAWAY ${OPCODE}`);
    buildC(gsrc, root);
  }, 60_000);

  it('gets a reference page listing its rules (npx uringspec docs)', () => {
    const page = opPage(spec, spec.ops.THROWAWAY!, []);
    for (const id of spec.rules.keys()) if (id.startsWith('throwaway.')) expect(page).toContain(id);
  });
});
