import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSpec } from '../../spec/load/loadSpec.js';
import type { Case } from '../../spec/types.js';
import { prepareCase } from '../prepareCase.js';
import { cacheDir } from '../context.js';
import { executorBinary } from './executorBinary.js';
import { ExecutorSession } from './executorSession.js';
import { hostTransport } from './hostTransport.js';

const spec = loadSpec();
const host = spec.profiles['upstream-6.18']!;
const root = mkdtempSync(join(tmpdir(), 'uringspec-extest-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const base = { description: 'x', rules: ['chain.cqe.match-by-user-data'], provenance: { kind: 'hand-written' as const } };
const nop: Case = { ...base, ring: { entries: 4 }, sqes: [{ op: 'NOP' }] };
/** A READ of an empty pipe: the oracle says it waits; the executor reaps for its CQE until the program's deadline. */
const blocked: Case = { ...base, ring: { entries: 4 }, fixtures: { p: { kind: 'pipe' }, f: { kind: 'file' } }, sqes: [{ op: 'READ', fields: { fd: { fd: 'p' }, addr: { buf: 4 }, len: 4 } }] };

/** The program's child under the executor: its only child that is not the shared worker. */
function childOf(pid: number): number[] {
  const out = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' });
  return out.split('\n').map((l) => Number(l.trim())).filter((n) => n > 0);
}

async function session(timeoutMs: number) {
  const binary = await executorBinary(spec, cacheDir());
  const tmp = mkdtempSync(join(root, 'tmp-'));
  const t = hostTransport({ binary, timeoutMs, tmpdir: tmp });
  const s = new ExecutorSession(t);
  expect(await s.ready()).toBe(true);
  return { s, t, tmp };
}

describe('the executor on the host', { timeout: 120_000 }, () => {
  it('reports a child killed by a signal, and goes on with the next program', async () => {
    const { s, t, tmp } = await session(20_000);
    // expect the READ to complete, so that its child reaps (and waits) instead of answering at once
    const pc = prepareCase(spec, host, 'blocked', blocked);
    const waiting = s.run({ ...pc.form, want: { ...pc.form.want, cqes: [{ user_data: 1, res: { eq: 4 }, because: [] }] } });
    const next = s.run(prepareCase(spec, host, 'nop', nop).form);
    let kids: number[] = [];
    for (let i = 0; i < 200 && !kids.length; i++) {
      await new Promise((r) => setTimeout(r, 20));
      kids = childOf(t.pid!);
    }
    expect(kids.length).toBe(1);
    process.kill(kids[0]!, 'SIGSEGV');
    const crashed = await waiting;
    expect(crashed.status).toEqual({ kind: 'signal', signal: 11 });
    expect(crashed.json).toBeUndefined();
    const after = await next;
    expect(after.status).toEqual({ kind: 'exit', code: 0 });
    expect(after.json).toContain('"verdict": "pass"');
    s.close();
    await new Promise((r) => t.onEnd(() => r(undefined)));
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('kills a program that does not answer by its deadline, reports a timeout, and goes on', async () => {
    const { s, t, tmp } = await session(400);
    const pc = prepareCase(spec, host, 'blocked', blocked);
    const slow = await s.run({ ...pc.form, reapTimeoutMs: 5000, want: { ...pc.form.want, cqes: [{ user_data: 1, res: { eq: 4 }, because: [] }] } });
    expect(slow.status).toEqual({ kind: 'timeout' });
    expect(slow.ms).toBeGreaterThanOrEqual(400);
    expect(slow.ms).toBeLessThan(5000);
    const after = await s.run(prepareCase(spec, host, 'nop', nop).form);
    expect(after.status).toEqual({ kind: 'exit', code: 0 });
    s.close();
    await new Promise((r) => t.onEnd(() => r(undefined)));
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('answers a program it cannot decode with an error, and goes on', async () => {
    const { s, t } = await session(20_000);
    const pc = prepareCase(spec, host, 'nop', nop);
    const bad = await s.run({ ...pc.form, fixtures: [{ name: 'z', ident: 'FX_Z', kind: 'pipe', kindIndex: 0, fn: 't_fixture_pipe', args: [0, 0, 0], refs: ['fd', 'fd.w'] }], sqes: [{ ...pc.form.sqes[0]!, slots: [['fd', { fd: 5, end: 'r' }]] }] });
    expect(bad.status.kind).toBe('error');
    expect((await s.run(pc.form)).status).toEqual({ kind: 'exit', code: 0 });
    s.close();
    await new Promise((r) => t.onEnd(() => r(undefined)));
  });
});
