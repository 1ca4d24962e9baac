import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { sliceRuntime } from './sliceRuntime.js';

// What the rendered file provides before the runtime (see runtime/report.c).
const PRELUDE = `#define _GNU_SOURCE
#include "liburing.h"
#define T_MAX_CQES 256
#define T_MAX_SUBMITS 64
static const char *const errno_names[] = { [1] = "EPERM" };
`;

// What renderExecutor generates after the runtime, for the sections that declare it (runtime/program.c).
const GENERATED = `
static int t_fixture_make(struct t_fixture *f, const char *name, int kind, const long long *args) { (void)f; (void)name; (void)kind; (void)args; return 0; }
static void t_set_slot(struct io_uring_sqe *sqe, int slot, __u64 value) { (void)sqe; (void)slot; (void)value; }
`;

// every section of every runtime file, found the way a reader would: by its marker
const RUNTIME = fileURLToPath(new URL('./runtime/', import.meta.url));
const SECTIONS = readdirSync(RUNTIME)
  .filter((f) => f.endsWith('.c'))
  .flatMap((f) => [...readFileSync(join(RUNTIME, f), 'utf8').matchAll(/^\/\* @section (\w+)/gm)].map((m) => m[1]!));

describe('sliceRuntime', () => {
  it('takes a section with everything it needs, in file order, and nothing else', () => {
    const { code, includes } = sliceRuntime(['t_setup_fail']);
    expect(code).toContain('static int t_setup_fail(');
    expect(code).toContain('t_mismatch(const char *fmt');
    expect(code.indexOf('static struct t_run {')).toBeLessThan(code.indexOf('t_mismatch(const char *fmt'));
    expect(code.indexOf('t_mismatch(const char *fmt')).toBeLessThan(code.indexOf('t_setup_fail(const char'));
    expect(code).not.toContain('t_res_text');
    expect(code).not.toContain('@section');
    expect(includes).toEqual(['<errno.h>', '<stdarg.h>', '<stdio.h>', '<string.h>']);
  });

  it('names the file each part comes from', () => {
    const { code } = sliceRuntime(['t_reap_children', 't_exit']);
    expect(code).toMatch(/---- runtime\/report\.c ----[\s\S]*---- runtime\/spawn\.c ----/);
  });

  it('keeps an @if block only when its section or feature is sliced in too, and every block for the executor', () => {
    expect(sliceRuntime(['t_submit']).code).not.toContain('IORING_SETUP_SQPOLL');
    expect(sliceRuntime(['t_submit', 'f_setup_flags']).code).toContain('IORING_SETUP_SQPOLL');
    expect(sliceRuntime(['t_submit'], { every: true }).code).toContain('IORING_SETUP_SQPOLL');
    expect(sliceRuntime(['t_verdict']).code).not.toContain('e->check_order');
    expect(sliceRuntime(['t_verdict', 't_check_order']).code).toContain('bad += e->check_order(e, report);');
    expect(sliceRuntime(['t_verdict', 't_check_order']).code).not.toContain('e->check_fds');
    expect(sliceRuntime(['t_check_cqes']).code).not.toContain('"one of {");');
    expect(sliceRuntime(['t_check_cqes', 'f_one_of']).code).toContain('"one of {");');
    expect(sliceRuntime(['t_check_cqes', 'f_one_of']).code).not.toContain('@if');
  });

  it('rejects an unknown section', () => {
    expect(() => sliceRuntime(['t_nope'])).toThrow('no runtime section named t_nope');
  });

  // Each section with its needs must compile alone: its needs and includes are complete.
  it('compiles every section alone with -Werror', { timeout: 60_000 }, () => {
    expect(SECTIONS.length).toBeGreaterThan(30);
    const dir = mkdtempSync(join(tmpdir(), 'uringspec-slice-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    for (const name of SECTIONS) {
      const { code, includes } = sliceRuntime([name]);
      const file = join(dir, `${name}.c`);
      const src = PRELUDE.replace('#include "liburing.h"', [...includes.map((h) => `#include ${h}`), '#include "liburing.h"'].join('\n'));
      const generated = code.includes('static int t_fixture_make(') ? GENERATED : '';
      writeFileSync(file, `${src}\n${code}\n${generated}int main(void) { return 0; }\n`);
      const flags = ['-fsyntax-only', '-Wall', '-Wextra', '-Werror', '-Wno-unused-function', '-Wno-unused-variable', '-Wno-unused-const-variable'];
      expect(() => execFileSync('gcc', [...flags, file], { stdio: 'pipe' }), name).not.toThrow();
    }
  });
});
