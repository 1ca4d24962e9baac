import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Case, Expectation, StoredFds } from '../spec/types.js';
import { loadSpec } from '../spec/load/loadSpec.js';
import { readCase } from '../spec/case/parseCase.js';
import { predict } from '../generators/oracle/predict.js';
import { renderCase } from '../c-templates/renderCase.js';
import { formOf } from '../c-templates/testing/formOf.js';
import { runInTmp } from '../c-templates/testing/buildC.js';
import { ringSpec } from '../c-templates/testing/ringSpec.js';
import { prepareCase, type PreparedCase } from './prepareCase.js';
import { runOnHostExecutor } from './executor/runOnHost.js';
import { cacheDir } from './context.js';

// The store_fds effect (an op writes new fds, or slot indices, into a buffer of the case: PIPE's int fds[2]):
// the oracle's prediction from the spec, checked by the runtime on the host, passes; a planted wrong
// observation (what a kernel doing otherwise would pass) and a planted wrong process state both fail it.
const spec = loadSpec();
const profile = spec.profiles['upstream-6.18']!;
const c0 = spec.ring.constants;
const root = mkdtempSync(join(tmpdir(), 'uringspec-fds-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Sample = Case & { expect: Expectation };

function predicted(file: string): Sample {
  const c = readCase(join(__dirname, '..', 'cases', file), spec);
  return { ...c, expect: predict(spec, profile, c) };
}

/** The case with the stored ints of user_data ud expected as `ints` instead. */
function planted(c: Sample, ud: number, ints: StoredFds['ints']): Sample {
  return { ...c, expect: { ...c.expect, fds_stored: c.expect.fds_stored!.map((w) => (w.user_data === ud ? { ...w, ints } : w)) } };
}

/** Runs the standalone program, with `code` spliced in just before its verdict (a state the chain did not leave). */
function run(c: Sample, code = '') {
  const src = renderCase(formOf(c, { name: 'host/fds', profile }), { ring: ringSpec, profile, ops: spec.ops });
  const at = src.indexOf('\tret = t_verdict(');
  expect(at).toBeGreaterThan(0);
  return runInTmp(`${src.slice(0, at)}${code}${src.slice(at)}`, root);
}

describe('fds an op stores in a buffer (PIPE) on the host', { timeout: 120_000 }, () => {
  it('the oracle predicts two new fds, read end first, with the flags pipe_flags give', () => {
    const plain = predicted('pipe/creates-pipe.yaml').expect.fds_stored;
    expect(plain).toEqual([{ user_data: 1, slot: 'addr', ints: [{ fl: c0.O_RDONLY, cloexec: false }, { fl: c0.O_WRONLY, cloexec: false }], one_pipe: true }]);
    const flags = predicted('pipe/cloexec-nonblock-direct.yaml').expect.fds_stored!;
    expect(flags[0]!.ints).toEqual([{ fl: c0.O_RDONLY! | c0.O_NONBLOCK!, cloexec: true }, { fl: c0.O_WRONLY! | c0.O_NONBLOCK! | c0.O_DIRECT!, cloexec: true }]);
    // a request that fails stores nothing
    expect(predicted('pipe/bad-address-is-efault.yaml').expect.fds_stored).toBeUndefined();
  });

  it('passes as predicted; a planted wrong observation (ends swapped, close-on-exec) fails', () => {
    const c = predicted('pipe/creates-pipe.yaml');
    expect(run(c).result.mismatches).toEqual([]);
    const swapped = run(planted(c, 1, [{ fl: c0.O_WRONLY!, cloexec: false }, { fl: c0.O_RDONLY!, cloexec: false }]));
    expect(swapped.code).toBe(1);
    expect(swapped.result.mismatches).toEqual([
      expect.stringMatching(/^user_data 1 \(PIPE\): fd \d+ \(stored int 0\) has F_GETFL bits 0x0, expected 0x1$/),
      expect.stringMatching(/^user_data 1 \(PIPE\): fd \d+ \(stored int 1\) has F_GETFL bits 0x1, expected 0x0$/),
    ]);
    const cloexec = run(planted(c, 1, [{ fl: c0.O_RDONLY!, cloexec: true }, { fl: c0.O_WRONLY!, cloexec: false }]));
    expect(cloexec.result.mismatches).toEqual([expect.stringMatching(/^user_data 1 \(PIPE\): fd \d+ \(stored int 0\) is not FD_CLOEXEC, expected FD_CLOEXEC$/)]);
  });

  it('fails a planted wrong process state: an fd closed, its flag changed, another file, the ints overwritten', () => {
    const c = predicted('pipe/creates-pipe.yaml');
    const fd = (k: number) => `((int *)buf1_addr)[${k}]`;
    expect(run(c, `\tclose(${fd(1)});\n`).result.mismatches).toEqual([expect.stringMatching(/^user_data 1 \(PIPE\): stored fd 1 is \d+, not an open fd$/)]);
    expect(run(c, `\tfcntl(${fd(0)}, F_SETFD, FD_CLOEXEC);\n`).result.mismatches).toEqual([expect.stringMatching(/^user_data 1 \(PIPE\): fd \d+ \(stored int 0\) is FD_CLOEXEC, expected none$/)]);
    expect(run(c, `\tfcntl(${fd(0)}, F_SETFL, O_NONBLOCK);\n`).result.mismatches).toEqual([expect.stringMatching(/bits 0x800, expected 0x0$/)]);
    // the write end of another pipe in fds[1]'s place: open, write-only, a FIFO, but not the same pipe
    expect(run(c, `\t{ int p[2]; if (pipe(p) == 0) dup2(p[1], ${fd(1)}); }\n`).result.mismatches).toEqual([expect.stringMatching(/^user_data 1 \(PIPE\): fd \d+ \(stored int 1\) is another file than the first stored fd$/)]);
    // a regular file in its place is no pipe
    expect(run(c, `\t{ int f = open(".", O_RDONLY | O_DIRECTORY); if (f >= 0) dup2(f, ${fd(0)}); }\n`).result.mismatches).toContainEqual(expect.stringMatching(/\(stored int 0\) is not a pipe/));
    expect(run(c, `\tmemset(buf1_addr, 0xff, 8);\n`).result.mismatches).toEqual([
      'user_data 1 (PIPE): stored fd 0 is -1, not an open fd', 'user_data 1 (PIPE): stored fd 1 is -1, not an open fd',
    ]);
  });

  it('direct descriptors: the slot indices are stored; a planted wrong slot fails, and so does a stored int overwritten', () => {
    const c = predicted('pipe/slots-installed.yaml');
    expect(c.expect.fds_stored!.map((w) => w.ints)).toEqual([[{ eq: 0 }, { eq: 1 }], [{ eq: 2 }, { eq: 3 }]]);
    expect(run(c).result.mismatches).toEqual([]);
    // what the pre-fix io_pipe_fixed() stored for a specific slot: __io_fixed_fd_install()'s 0, twice
    expect(run(planted(c, 1, [{ eq: 0 }, { eq: 0 }])).result.mismatches).toEqual(['user_data 1 (PIPE): stored int 1 is 1, expected 0']);
    expect(run(c, '\t((int *)buf2_addr)[0] = 7;\n').result.mismatches).toEqual(['user_data 2 (PIPE): stored int 0 is 7, expected 2']);
  });

  it('the executor checks the same: the corpus cases pass, a planted wrong observation fails there too', async () => {
    const pc = (file: string) => prepareCase(spec, profile, file, readCase(join(__dirname, '..', 'cases', file), spec));
    const good = [pc('pipe/creates-pipe.yaml'), pc('pipe/slots-installed.yaml')];
    const plant = (p: PreparedCase, ud: number, ints: StoredFds['ints']): PreparedCase => {
      const want = planted(p.c, ud, ints).expect;
      return { ...p, id: `${p.id}-planted`, c: { ...p.c, expect: want }, form: { ...p.form, id: `${p.form.id}-planted`, want } } as PreparedCase;
    };
    const bad = [plant(good[0]!, 1, [{ fl: c0.O_RDONLY!, cloexec: true }, { fl: c0.O_WRONLY!, cloexec: false }]), plant(good[1]!, 2, [{ eq: 3 }, { eq: 2 }])];
    const v = await runOnHostExecutor([...good, ...bad], { spec, cacheDir: cacheDir(), timeoutMs: 20_000 });
    expect(v.map((x) => x.kind)).toEqual(['pass', 'pass', 'fail', 'fail']);
    expect(v[2]!.report?.mismatches).toEqual([expect.stringMatching(/\(stored int 0\) is not FD_CLOEXEC, expected FD_CLOEXEC$/)]);
    expect(v[3]!.report?.mismatches).toEqual(['user_data 2 (PIPE): stored int 0 is 2, expected 3', 'user_data 2 (PIPE): stored int 1 is 3, expected 2']);
  });
});
