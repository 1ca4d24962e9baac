import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Case, Expectation, SubmitterExpect } from '../spec/types.js';
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

// chain.state.effects-in-place on the host: a case that does not spawn checks the submitter's fd table, fs and the
// bytes read into its buffers after the chain, in the standalone program and in the executor. The oracle's state
// passes; a planted wrong one (what a kernel that did otherwise would pass) and a planted wrong process state fail.
const spec = loadSpec();
const profile = spec.profiles['upstream-6.18']!;
const root = mkdtempSync(join(tmpdir(), 'uringspec-after-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Sample = Case & { expect: Expectation };
const predicted = (file: string): Sample => {
  const c = readCase(join(__dirname, '..', 'cases', file), spec);
  return { ...c, expect: predict(spec, profile, c) };
};
const planted = (c: Sample, u: Partial<SubmitterExpect>): Sample => ({ ...c, expect: { ...c.expect, submitter: { ...c.expect.submitter!, ...u } } });

/** Runs the standalone program, with `code` spliced in once the CQEs are in, before the state after the chain is read (a state the chain did not leave). */
function run(c: Sample, code = '') {
  const src = renderCase(formOf(c, { name: 'host/after', profile }), { ring: ringSpec, profile, ops: spec.ops });
  const at = src.indexOf('\tt_spawn_collect(');
  expect(at).toBeGreaterThan(0);
  return runInTmp(`${src.slice(0, at)}${code}${src.slice(at)}`, root);
}

describe('the submitter after a chain that does not spawn (chain.state.effects-in-place)', { timeout: 180_000 }, () => {
  it('the oracle states it for a case with fixtures, and not for one without', () => {
    expect(predicted('close/close-twice.yaml').expect.submitter).toEqual({ fds_closed: ['f'], fds_opened: [0, 0], fs_kept: true, buffers: [], no_stray_children: true });
    expect(predicted('openat/existing-file-opens.yaml').expect.submitter?.fds_opened).toEqual([1, 1]);
    expect(predicted('read/full-reads-continue-link.yaml').expect.submitter?.buffers).toEqual([
      { user_data: 1, slot: 'addr', bytes: [{ pattern: 0, len: 8 }] }, { user_data: 2, slot: 'addr', bytes: [{ pattern: 8, len: 8 }] },
    ]);
    expect(predicted('nop/plain-nop-succeeds.yaml').expect.submitter).toBeUndefined();
  });

  it('a closed fd: passes as predicted; fails when the fd is expected open, or when another fd went too', () => {
    const c = predicted('close/close-twice.yaml');
    expect(run(c).result.mismatches).toEqual([]);
    const open = run(planted(c, { fds_closed: [] }));
    expect(open.code).toBe(1);
    expect(open.result.mismatches).toEqual([expect.stringMatching(/^submitter: fd \d+ was closed by the chain, expected it open$/)]);
    expect(run(c, '\tclose(ring.ring_fd);\n').result.mismatches).toContainEqual(expect.stringMatching(/^submitter: fd \d+ was closed by the chain, expected it open$/));
  });

  it('a new fd: passes as predicted; fails when none or two are expected', () => {
    const c = predicted('openat/existing-file-opens.yaml');
    expect(run(c).result.mismatches).toEqual([]);
    expect(run(planted(c, { fds_opened: [0, 0] })).result.mismatches).toEqual([expect.stringMatching(/^submitter: 1 new fds after the chain \(fd \d+ first\), expected 0 to 0$/)]);
    expect(run(c, '\tdup(0);\n').result.mismatches).toEqual([expect.stringMatching(/^submitter: 2 new fds after the chain \(fd \d+ first\), expected 1 to 1$/)]);
  });

  it('bytes read from a pipe: pass as predicted; fail when other bytes are expected, or the buffer changed', () => {
    const c = predicted('read/full-reads-continue-link.yaml');
    expect(run(c).result.mismatches).toEqual([]);
    // the second READ expected to hold the pipe's first 8 bytes again (a kernel that did not advance the pipe)
    const again = planted(c, { buffers: c.expect.submitter!.buffers.map((b) => ({ ...b, bytes: [{ pattern: 0, len: 8 }] })) });
    expect(run(again).result.mismatches).toEqual(["submitter: buffer of user_data 2, byte 0: expected 0x61, got 0x69"]);
    expect(run(c, '\tumask(077);\n').result.mismatches).toEqual([expect.stringMatching(/^submitter: umask 077 after the chain, was \d+$/)]);
  });

  it('bytes read from a file: the file\'s bytes at the offset, with what earlier writes put there', () => {
    const c = predicted('read/file-position.yaml');
    expect(c.expect.submitter!.buffers.map((b) => b.bytes)).toEqual([[{ pattern: 0, len: 8 }], [{ pattern: 0, len: 4 }], [{ pattern: 8, len: 12 }]]);
    expect(run(c).result.mismatches).toEqual([]);
    // what a kernel that read the explicit offset 0 from the file position (8) instead would have put there
    const atPos = planted(c, { buffers: c.expect.submitter!.buffers.map((b) => (b.user_data === 2 ? { ...b, bytes: [{ pattern: 8, len: 4 }] } : b)) });
    expect(run(atPos).result.mismatches).toEqual(['submitter: buffer of user_data 2, byte 0: expected 0x69, got 0x61']);
    // RWF_APPEND's 4 zero bytes at 20, then a WRITE at the position (0): a READ at -1 gets bytes 4 to 24
    const w = predicted('write/append-and-file-position.yaml');
    expect(w.expect.submitter!.buffers).toEqual([{ user_data: 3, slot: 'addr', bytes: [{ pattern: 4, len: 16 }, { zero: true, len: 4 }] }]);
    expect(run(w).result.mismatches).toEqual([]);
    // a kernel whose append wrote nothing at the end: the last 4 bytes read would be the file's own pattern
    const noAppend = planted(w, { buffers: [{ user_data: 3, slot: 'addr', bytes: [{ pattern: 4, len: 20 }] }] });
    expect(run(noAppend).result.mismatches).toEqual(['submitter: buffer of user_data 3, byte 16: expected 0x75, got 0x00']);
  });

  it('file fixtures after the chain: size and bytes as the writes left them; a planted wrong size or byte fails', () => {
    const w = predicted('write/append-and-file-position.yaml');
    expect(w.expect.files).toEqual([{ fixture: 'f', size: 24, bytes: [{ zero: true, len: 4 }, { pattern: 4, len: 16 }, { zero: true, len: 4 }] }]);
    expect(run(w).result.mismatches).toEqual([]);
    const withFiles = (files: Expectation['files']): Sample => ({ ...w, expect: { ...w.expect, files } });
    // what a kernel whose RWF_APPEND write went to off 0 instead would leave: 20 bytes
    expect(run(withFiles([{ fixture: 'f', size: 20 }])).result.mismatches).toEqual(['file f: 24 bytes after the chain, expected 20']);
    // the file's own pattern where the WRITE at the position put zeros
    expect(run(withFiles([{ fixture: 'f', size: 24, bytes: [{ pattern: 0, len: 20 }, { zero: true, len: 4 }] }])).result.mismatches).toEqual(['file f, byte 0 after the chain: expected 0x61, got 0x00']);
    expect(run(w, '\tpwrite(fixtures[FX_F].fd, "x", 1, 23);\n').result.mismatches).toEqual(['file f, byte 23 after the chain: expected 0x00, got 0x78']);
    // a WRITE that failed with -EFAULT past the end may have grown its file: no size is claimed for it
    expect(predicted('write/efault-past-end-size-undetermined.yaml').expect.files?.map((f) => f.fixture)).toEqual(['f1']);
  });

  it('stream fixtures after the chain: what each open end can read; a planted wrong count fails', () => {
    const c = predicted('read/full-reads-continue-link.yaml');
    expect(c.expect.streams).toEqual([{ fixture: 'p', end: 'r', avail: 0 }]);
    expect(run(c).result.mismatches).toEqual([]);
    // a kernel whose READs reported 8 bytes each but left some in the pipe
    expect(run({ ...c, expect: { ...c.expect, streams: [{ fixture: 'p', end: 'r', avail: 8 }] } }).result.mismatches).toEqual(['stream p (r end): 0 bytes to read after the chain, expected 8']);
    expect(run(c, '\tif (write(fixtures[FX_P].wfd, "x", 1) != 1) return 1;\n').result.mismatches).toEqual(['stream p (r end): 1 bytes to read after the chain, expected 0']);
  });

  it('the executor checks the same: the cases pass, planted wrong states fail', async () => {
    const pc = (file: string) => prepareCase(spec, profile, file, readCase(join(__dirname, '..', 'cases', file), spec));
    const plant = (p: PreparedCase, u: Partial<SubmitterExpect>): PreparedCase => {
      const want = planted(p.c, u).expect;
      return { ...p, id: `${p.id}-planted`, c: { ...p.c, expect: want }, form: { ...p.form, id: `${p.form.id}-planted`, want } } as PreparedCase;
    };
    const good = [pc('close/close-twice.yaml'), pc('openat/existing-file-opens.yaml'), pc('read/full-reads-continue-link.yaml')];
    expect(good.every((p) => p.form.isolate)).toBe(true);
    const file = pc('write/append-and-file-position.yaml');
    const wrongSize = { ...file, id: 'file-planted', c: { ...file.c, expect: { ...file.c.expect, files: [{ fixture: 'f', size: 20 }] } } };
    const bad = [plant(good[0]!, { fds_closed: [] }), plant(good[1]!, { fds_opened: [2, 2] }), plant(good[2]!, { buffers: [] }),
      { ...wrongSize, form: { ...file.form, id: 'file-planted', want: wrongSize.c.expect } } as PreparedCase];
    const v = await runOnHostExecutor([...good, ...bad, file], { spec, cacheDir: cacheDir(), timeoutMs: 20_000 });
    expect(v.map((x) => x.kind)).toEqual(['pass', 'pass', 'pass', 'fail', 'fail', 'pass', 'fail', 'pass']);
    expect(v[6]!.report?.mismatches).toEqual(['file f: 24 bytes after the chain, expected 20']);
    const pipe = good[2]!;
    const wrongAvail = { ...pipe.c.expect, streams: [{ fixture: 'p', end: 'r' as const, avail: 3 }] };
    const [sv] = await runOnHostExecutor([{ ...pipe, id: 'stream-planted', c: { ...pipe.c, expect: wrongAvail }, form: { ...pipe.form, id: 'stream-planted', want: wrongAvail } } as PreparedCase], { spec, cacheDir: cacheDir(), timeoutMs: 20_000 });
    expect(sv!.report?.mismatches).toEqual(['stream p (r end): 0 bytes to read after the chain, expected 3']);
    expect(v[3]!.report?.mismatches).toEqual([expect.stringMatching(/^submitter: fd \d+ was closed by the chain, expected it open$/)]);
    expect(v[4]!.report?.mismatches).toEqual([expect.stringMatching(/^submitter: 1 new fds after the chain \(fd \d+ first\), expected 2 to 2$/)]);
  });
});
