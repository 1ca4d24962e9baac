import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSpec } from '../spec/load/loadSpec.js';
import { loadCases } from '../runner/corpus.js';
import { prepareCase } from '../runner/prepareCase.js';
import { ROOT } from './helpers.js';

/**
 * A reproducer builds the way a test in liburing's test/ does: the CPPFLAGS and CFLAGS of
 * liburing's test/Makefile (-D_GNU_SOURCE -D__SANE_USERSPACE_TYPES__ -D_LARGEFILE_SOURCE
 * -D_FILE_OFFSET_BITS=64, -g -O3 -Wall -Wextra, -DLIBURING_BUILD_TEST, linked with -luring -lpthread),
 * stricter in two ways: -Werror, and without the Makefile's -Wno-unused-parameter -Wno-sign-compare.
 */
const LIBURING_TEST_FLAGS = [
  '-D_GNU_SOURCE', '-D__SANE_USERSPACE_TYPES__', '-D_LARGEFILE_SOURCE', '-D_FILE_OFFSET_BITS=64',
  '-g', '-O3', '-Wall', '-Wextra', '-Werror', '-Wmissing-prototypes', '-DLIBURING_BUILD_TEST',
];

const root = mkdtempSync(join(tmpdir(), 'uringspec-liburing-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Compiles one C file as liburing's test/Makefile would; throws with gcc's first lines on failure. */
function buildLikeLiburing(name: string, source: string): void {
  const file = join(root, `${name}.c`);
  writeFileSync(file, source);
  try {
    execFileSync('gcc', [...LIBURING_TEST_FLAGS, '-o', join(root, `${name}.t`), file, '-luring', '-lpthread'], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(`${name}: ${String((e as { stderr?: Buffer }).stderr ?? e).split('\n').slice(0, 4).join(' | ')}`);
  }
}

const spec = loadSpec();
const reproducer = (id: string, profile: string) => {
  const [c] = loadCases(spec, [join(ROOT, 'cases', `${id}.yaml`)]);
  return prepareCase(spec, spec.profiles[profile]!, c!.id, c!.c).source;
};

describe('a reproducer, as a liburing test', { timeout: 120_000 }, () => {
  it.each([
    ['a host case', 'nop/plain-nop-succeeds', 'upstream-6.18'],
    ['a host case with a fixture and an expected errno', 'read/rw-flags-checked', 'upstream-6.18'],
    ['a spawn case', 'spawn/clone-exec-helper', 'rfc-v1-6.12'],
  ])('%s (%s) builds with liburing test/ flags and -Werror', (_what, id, profile) => {
    const src = reproducer(id, profile);
    expect(src.split('\n')[0]).toBe('/* SPDX-License-Identifier: MIT */');
    expect(src.split('\n')[1]).toMatch(/^\/\* Description: .+ \*\/$/);
    expect(src).toContain('#include "liburing.h"');
    expect(src).toMatch(/\/\* [^\n]+ \*\/\nstatic void test_chain(_\d+)?\(struct io_uring \*ring\)/);
    buildLikeLiburing(id.replace('/', '-'), src);
  });

  it('gets a build error from those flags for a warning a plain build would let through (the check is live)', () => {
    const src = `${reproducer('nop/plain-nop-succeeds', 'upstream-6.18')}\nint t_unprototyped(void) { return 0; }\n`;
    expect(() => buildLikeLiburing('planted', src)).toThrow(/-Werror=missing-prototypes|no previous prototype/);
  });

  it('fills an SQE with liburing\'s prep helper, then sets only what differs from what the helper set', () => {
    const nop = reproducer('nop/plain-nop-succeeds', 'upstream-6.18');
    const body = nop.slice(nop.indexOf('static void test_chain('));
    const chain = body.slice(0, body.indexOf('\n}\n'));
    expect(chain).toContain('\tio_uring_prep_nop(sqe);\n');
    // io_uring_prep_nop() sets fd -1; the case's fd is 0
    expect([...chain.matchAll(/sqe->(\w+) =/g)].map((m) => m[1])).toEqual(['fd', 'user_data']);
    const read = reproducer('read/rw-flags-checked', 'upstream-6.18');
    expect(read).toMatch(/io_uring_prep_read\(sqe, fixtures\[FX_\w+\]\.fd, buf\d+_addr, \d+, \d+\);\n\tsqe->rw_flags = RWF_/);
    expect(read).not.toContain('sqe->opcode');
  });

  it('makes a temp dir of its own only when something can land in the cwd', () => {
    const enters = (id: string, profile = 'upstream-6.18') => reproducer(id, profile).includes('\tret = t_tmpdir_enter();');
    expect(enters('nop/plain-nop-succeeds')).toBe(false);
    expect(enters('read/rw-flags-checked')).toBe(true); // fixtures
    expect(enters('openat/create-trailing-slash')).toBe(true); // a path string, no fixtures
    expect(enters('spawn/clone-exec-helper', 'rfc-v1-6.12')).toBe(true);
    const nop = reproducer('nop/plain-nop-succeeds', 'upstream-6.18');
    expect(nop).not.toContain('t_tmpdir_remove');
    expect(nop).not.toContain('nftw');
  });
});
