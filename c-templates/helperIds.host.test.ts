import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case, Expectation, HelperReport } from '../spec/types.js';
import { renderCase } from './renderCase.js';
import { formOf } from './testing/formOf.js';
import { buildC, runC } from './testing/buildC.js';
import { hostProfile } from './testing/hostProfile.js';
import { ringSpec } from './testing/ringSpec.js';

/*
 * The helper report's uid and gid (spawn.clone.personality, spawn.exec.personality-ignored), checked on the
 * host with a fork() standing in for CLONE, as c-templates/spawn.host.test.ts does: the child execs the
 * helper as root, or after setresgid/setresuid to 65534 (root only), and the program checks what it reports.
 */
const root = mkdtempSync(join(tmpdir(), 'uringspec-ids-'));
const helper = join(root, 'helper');
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(() => {
  const src = fileURLToPath(new URL('./helper/helper.c', import.meta.url));
  execFileSync('gcc', ['-static', '-O2', '-Wall', '-Wextra', '-Werror', '-o', helper, src], { stdio: 'pipe' });
});

const sample = (ids: Pick<HelperReport, 'uid' | 'gid' | 'fds_installed'>): Case & { expect: Expectation } => ({
  description: 'a NOP, with a task forked at its submit standing in for a CLONE', rules: [], provenance: { kind: 'hand-written' }, ring: { entries: 4 },
  fixtures: { h: { kind: 'exec-helper' }, p0: { kind: 'pipe' } },
  sqes: [{ op: 'NOP' }],
  expect: { submitted: [1], cqes: [{ user_data: 1, res: { eq: 0 }, because: [] }], order: [], spawn: { tasks: [{ head: 1, outcome: 'exec', exit: 0, report: { ...ids } }] } },
});

/** A child that execs the helper, as `id` first when given (real, effective and saved ids), after `before`. */
const child = (id?: number, before = '') => `\tif (fork() == 0) {\n${before}${id === undefined ? '' : `\t\tif (setgroups(0, NULL) || setresgid(${id}, ${id}, ${id}) || setresuid(${id}, ${id}, ${id}))\n\t\t\t_exit(126);\n`}\t\tstatic char *const argv[] = { "h", NULL }, *const envp[] = { NULL };\n\t\tfexecve(fixtures[FX_H].fd, argv, envp);\n\t\t_exit(127);\n\t}\n`;

function run(c: Case & { expect: Expectation }, id?: number, before = '') {
  const src = renderCase(formOf(c, { name: 'host/ids', profile: hostProfile, rules: [], reapTimeoutMs: 1000 }), { ring: ringSpec, profile: hostProfile });
  // the children fork where the chain's SQEs are filled, before main submits them
  const at = src.indexOf('\n}\n', src.indexOf('static void test_chain(')) + 1;
  expect(at).toBeGreaterThan(0);
  // setgroups() is in <grp.h>, after the program's own _GNU_SOURCE and includes
  const withGrp = (x: string) => x.replace('#include "liburing.h"', '#include "liburing.h"\n#include <grp.h>');
  const bin = buildC(withGrp(`${src.slice(0, at)}${child(id, before)}${src.slice(at)}`), root);
  const tmp = mkdtempSync(join(root, 'tmp-'));
  const out = runC(bin, { ...process.env, TMPDIR: tmp, URINGSPEC_HELPER: helper });
  expect(readdirSync(tmp), 'temp dir left behind').toEqual([]);
  return out;
}

const uid = process.getuid?.() ?? 0;
const gid = process.getgid?.() ?? 0;

describe("the exec helper's uid and gid", { timeout: 60_000 }, () => {
  it("pass when they are the task's, and fail with one line on a planted wrong uid", () => {
    expect(run(sample({ uid, gid })).result.verdict).toBe('pass');
    const r = run(sample({ uid: uid + 1, gid }));
    expect(r.code).toBe(1);
    expect(r.result.mismatches).toContain(`spawned task of user_data 1: helper uid/gid ${uid}/${gid}, expected ${uid + 1}/${gid}`);
  });

  it.skipIf(uid !== 0)('see a task that took uid/gid 65534 before exec, and fail when root is expected', () => {
    expect(run(sample({ uid: 65534, gid: 65534 }), 65534).result.verdict).toBe('pass');
    const r = run(sample({ uid: 0, gid: 0 }), 65534);
    expect(r.result.mismatches).toContain('spawned task of user_data 1: helper uid/gid 65534/65534, expected 0/0');
  });

  it('leave them unchecked when the expectation has none', () => {
    expect(run(sample({})).result.verdict).toBe('pass');
  });
});

describe('an fd installed before the exec (FIXED_FD_INSTALL without O_CLOEXEC)', { timeout: 60_000 }, () => {
  // dup() stands in for the install: another fd number for the file of the fixture's own fd
  const install = '\t\tif (dup(fixtures[FX_P0].wfd) < 0)\n\t\t\t_exit(125);\n';
  it("passes when the helper holds the file under another fd, and fails with one line when it does not", () => {
    expect(run(sample({ fds_installed: ['p0.w'] }), undefined, install).result.verdict).toBe('pass');
    const r = run(sample({ fds_installed: ['p0.w'] }));
    expect(r.code).toBe(1);
    expect(r.result.mismatches).toEqual([expect.stringMatching(/^spawned task of user_data 1: no other fd of the helper names the file of p0\.w \(pipe:\[\d+\]\), expected one installed$/)]);
  });
});
