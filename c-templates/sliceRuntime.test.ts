import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sliceRuntime } from './sliceRuntime.js';

// What the rendered file provides before the runtime (see runtime/report.c).
const PRELUDE = `#define _GNU_SOURCE
#include "liburing.h"
#define NR_SQES 1
static const char *const sqe_op_names[NR_SQES + 1] = { 0, "NOP" };
static const char *const errno_names[] = { [1] = "EPERM" };
`;

const SECTIONS = [
  't_exit', 't_run', 't_mismatch', 't_skip', 't_setup_fail', 't_errno_name', 't_res_text', 't_op_name', 't_json_str',
  't_result_print', 't_tmpdir', 't_expect', 't_find_cqe', 't_res_ok', 't_want_text', 't_check_cqes', 't_check_extra',
  't_check_order', 't_check_submitted', 't_verdict', 't_ring_setup', 't_require_opcodes', 't_get_sqe', 't_submit',
  't_now_ms', 't_reap', 't_fixture', 't_write_pattern', 't_fixture_pipe', 't_fixture_file', 't_fixture_dir',
  't_fixture_closed_fd', 't_fixtures_close', 't_write_file', 't_exec_helper', 't_fixture_exec_helper',
  't_fixture_exec_missing', 't_fixture_exec_noexec', 't_fixture_exec_garbage', 't_fixture_exec_script',
  't_fixture_exec_notdir', 't_reap_children',
];

describe('sliceRuntime', () => {
  it('takes a section with everything it needs, in file order, and nothing else', () => {
    const { code, includes } = sliceRuntime(['t_res_text']);
    expect(code).toContain('static const char *t_res_text(');
    expect(code).toContain('static const char *t_errno_name(');
    expect(code.indexOf('t_errno_name(int res)')).toBeLessThan(code.indexOf('t_res_text(char *buf'));
    expect(code).not.toContain('t_mismatch');
    expect(code).not.toContain('@section');
    expect(includes).toEqual(['<stdio.h>']);
  });

  it('names the file each part comes from', () => {
    const { code } = sliceRuntime(['t_reap_children', 't_exit']);
    expect(code).toMatch(/---- runtime\/report\.c ----[\s\S]*---- runtime\/spawn\.c ----/);
  });

  it('rejects an unknown section', () => {
    expect(() => sliceRuntime(['t_nope'])).toThrow('no runtime section named t_nope');
  });

  // Each section with its needs must compile alone: its needs and includes are complete.
  it('compiles every section alone with -Werror', { timeout: 60_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'uringspec-slice-'));
    for (const name of SECTIONS) {
      const { code, includes } = sliceRuntime([name]);
      const file = join(dir, `${name}.c`);
      const src = PRELUDE.replace('#include "liburing.h"', [...includes.map((h) => `#include ${h}`), '#include "liburing.h"'].join('\n'));
      writeFileSync(file, `${src}\n${code}\nint main(void) { return 0; }\n`);
      const flags = ['-fsyntax-only', '-Wall', '-Wextra', '-Werror', '-Wno-unused-function', '-Wno-unused-variable', '-Wno-unused-const-variable'];
      expect(() => execFileSync('gcc', [...flags, file], { stdio: 'pipe' }), name).not.toThrow();
    }
  });
});
