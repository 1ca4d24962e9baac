import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, ROOT } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'uringspec-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const nopCase = `description: a NOP
rules: [nop.issue.success]
provenance: { kind: hand-written }
ring: { entries: 8 }
sqes:
  - op: NOP
`;

describe('uringspec CLI', () => {
  it('prints help and exits 0', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['validate', 'predict', 'gen', 'render', 'run', 'fuzz', 'docs', 'report', 'kernel']) expect(r.stdout).toContain(c);
  });

  it('exits 2 with one line naming file, line, column and field for a bad case', async () => {
    const f = join(dir, 'bad.yaml');
    writeFileSync(f, nopCase.replace('op: NOP', 'op: NOPE'));
    const r = await cli(['validate', f]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/bad\.yaml:6:9: sqes\.0\.op: unknown op "NOPE"/);
  });

  it('exits 2 for a missing file, an unknown profile and a bad option value', async () => {
    expect((await cli(['render', join(dir, 'nothere.yaml')])).code).toBe(2);
    const f = join(dir, 'nop.yaml');
    writeFileSync(f, nopCase);
    const p = await cli(['predict', f, '--profile', 'nonesuch']);
    expect(p.code).toBe(2);
    expect(p.stderr).toMatch(/unknown profile "nonesuch"/);
    expect((await cli(['gen', '--seed', 'x', '--count', '1', '--out', dir])).code).toBe(2);
  });

  it('exits 2 when a kernel image is missing', async () => {
    const f = join(dir, 'nop.yaml');
    writeFileSync(f, nopCase);
    const r = await cli(['run', f, '--target', 'qemu', '--kernel', join(dir, 'no-bzImage')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/kernel image not found/);
  });

  it('predicts, renders and runs a case on the host', async () => {
    const f = join(dir, 'nop.yaml');
    writeFileSync(f, nopCase);
    const p = JSON.parse((await cli(['predict', f])).stdout);
    expect(p.expect.cqes).toEqual([{ user_data: 1, res: { eq: 0 }, flags: 0, because: ['nop.issue.success'] }]);
    // a spawn case renders for the profile that has its ops, without being told
    expect((await cli(['render', join(ROOT, 'cases/spawn/clone-exec-helper.yaml')])).stdout).toMatch(/profile rfc-v1-6\.12/);
    const c = await cli(['render', f]);
    expect(c.stdout).toMatch(/^\/\* SPDX-License-Identifier: MIT \*\//);
    const r = await cli(['run', f, '--json', join(dir, 'r.json'), '--junit', join(dir, 'r.xml')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^KTAP version 1$/m);
    expect(r.stdout).toMatch(/^ok 1 nop$/m);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('1 passed, 0 failed, 0 skipped');
    // progress a person can read: counts, rate and time left
    expect(r.stderr).toMatch(/\[1\/1\] 100% [\d.]+ cases\/s, 0s left, pass nop/);
  });

  it('refuses bad options and inputs before any work, in one line with exit 2 and no stack', async () => {
    const f = join(dir, 'nop.yaml');
    writeFileSync(f, nopCase);
    writeFileSync(join(dir, 'exists.md'), 'keep');
    mkdirSync(join(dir, 'full'), { recursive: true });
    writeFileSync(join(dir, 'full/x.yaml'), 'x');
    const refusals: [string[], RegExp][] = [
      [['run', f, '--jobs', '0'], /--jobs must be at least 1, got 0/],
      [['run', f, '--timeout', '0'], /--timeout must be at least 1, got 0/],
      [['run', f, '--json', '/proc/uringspec/r.json'], /--json \/proc\/uringspec\/r\.json: cannot write/],
      [['run', f, '--junit', join(dir, 'nop.yaml', 'r.xml')], /--junit .*: .*nop\.yaml is not a directory/],
      [['run', f, '--shard', '3/2'], /--shard must be i\/N with 1 <= i <= N, got "3\/2"/],
      [['run', f, '--target', 'cloud'], /--target must be host or qemu, not "cloud"/],
      [['report', '--from', join(ROOT, 'package.json'), '--out', join(dir, 'new.md')], /package\.json: not a run written by "uringspec run --json"/],
      [['report', '--from', join(dir, 'r.json'), '--out', join(dir, 'exists.md')], /--out .*exists\.md: exists \(give --force/],
      [['gen', '--seed', '1', '--count', '2', '--out', join(dir, 'full')], /--out .*full: exists and is not empty \(give --force/],
      [['gen', '--seed', '1', '--count', '0', '--out', join(dir, 'g0')], /--count must be at least 1/],
      [['gen', '--seed', '1', '--count', '2', '--out', join(dir, 'g1'), '--spawn'], /--spawn: profile upstream-6\.18 has no op that spawns a task/],
      [['run', f, '--profile', 'rfc-v1-6.12'], /--profile rfc-v1-6\.12 on the host: .*last opcode is 59.*reports last opcode/],
      [['cache'], /\$URINGSPEC_CACHE_MAX must be a size/],
      [['run', f, '--target', 'qemu', '--kernel', join(ROOT, 'package.json')], /--kernel .*package\.json: not an x86 bzImage/],
      [['fuzz', '--seed', '1', '--path', '3:x'], /--path must be numbers joined by ":"/],
      [['fuzz', '--target', 'host', '--seed', '1', '--path', '0:99999'], /--path 0:99999 does not replay with --seed 1/],
      [['docs', '--out', '/proc/uringspec-docs'], /--out \/proc\/uringspec-docs: cannot write/],
      [['render', join(ROOT, 'cases/spawn/clone-exec-helper.yaml'), '--profile', 'upstream-6.18'], /clone-exec-helper\.yaml: not for --profile upstream-6\.18: vm-only/],
      [['predict', join(ROOT, 'cases/spawn/clone-exec-helper.yaml'), '--profile', 'upstream-6.18'], /clone-exec-helper\.yaml: not for --profile upstream-6\.18: vm-only/],
      [['coverage', f, '--out', join(dir, 'cov.md'), '--fuzz-time', '0'], /--fuzz-time must be at least 1, got 0/],
      [['coverage', f, '--out', join(dir, 'cov.md'), '--keep-seeds', join(dir, 'seeds')], /--keep-seeds needs --fuzz-time/],
      [['coverage', f, '--out', join(dir, 'cov.md'), '--profile', 'upstream-6.18'], /--profile upstream-6\.18 is not a QEMU profile/],
    ];
    for (const [args, message] of refusals) {
      const r = await cli(args, args[0] === 'cache' ? { URINGSPEC_CACHE_MAX: 'lots' } : {});
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stdout, args.join(' ')).not.toMatch(/^ok /m);
    }
    expect(readFileSync(join(dir, 'exists.md'), 'utf8')).toBe('keep');
  });

  it('never runs a vm-only case on the host', async () => {
    const f = join(dir, 'vm-only.yaml');
    writeFileSync(f, nopCase.replace('ring:', 'flags: [vm-only]\nring:'));
    const r = await cli(['run', f]);
    expect(r.stdout).toMatch(/^ok 1 vm-only # SKIP vm-only: runs only in the QEMU guest$/m);
  });

  it('splits a run into shards and merges their JSON into one KTAP, JUnit and report', async () => {
    const cases = join(dir, 'shard-cases');
    mkdirSync(cases, { recursive: true });
    for (const n of ['a', 'b', 'c', 'd', 'e']) writeFileSync(join(cases, `${n}.yaml`), nopCase);
    const shards = await Promise.all([1, 2].map((i) => cli(['run', cases, '--shard', `${i}/2`, '--json', join(dir, `s${i}.json`)])));
    const ran = shards.map((r) => [...r.stdout.matchAll(/^ok \d+ (\w)$/gm)].map((m) => m[1]));
    expect(ran.flat().sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(ran[0]!.length * ran[1]!.length).toBeGreaterThan(0);
    const m = await cli(['merge', join(dir, 's1.json'), join(dir, 's2.json'), '--ktap', '--junit', join(dir, 'm.xml'), '--report', join(dir, 'm.md')]);
    expect(m.code, m.stderr).toBe(0);
    expect(m.stdout).toMatch(/^1\.\.5$/m);
    expect([...m.stdout.matchAll(/^ok (\d) (\w)$/gm)].map((x) => `${x[1]} ${x[2]}`)).toEqual(['1 a', '2 b', '3 c', '4 d', '5 e']);
    expect(m.stdout.trim().split('\n').at(-1)).toBe('5 passed, 0 failed, 0 skipped');
    expect(readFileSync(join(dir, 'm.xml'), 'utf8')).toMatch(/tests="5" failures="0" errors="0"/);
    expect(readFileSync(join(dir, 'm.md'), 'utf8')).toMatch(/`nop\.issue\.success`.*\| pass \|/);
    const again = await cli(['merge', join(dir, 's1.json'), join(dir, 's1.json')]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/is also in/);
  });

  it('shows, prunes and clears the cache', async () => {
    const cache = join(dir, 'cache');
    mkdirSync(join(cache, 'bin'), { recursive: true });
    for (const [name, age] of [['old', 3000], ['new', 1]] as const) {
      writeFileSync(join(cache, 'bin', name), Buffer.alloc(600 * 1024));
      const t = new Date(Date.now() - age * 1000);
      utimesSync(join(cache, 'bin', name), t, t);
    }
    const env = { URINGSPEC_CACHE: cache, URINGSPEC_CACHE_MAX: '512k' };
    const show = await cli(['cache'], env);
    expect(show.stdout).toMatch(/: 600K of 512K .*plus 600K of binaries made or run in the last 15 minutes/);
    expect(show.stdout).toMatch(/bin +2 entries/);
    const prune = await cli(['cache', '--prune'], env);
    expect(prune.code).toBe(0);
    expect(existsSync(join(cache, 'bin', 'old'))).toBe(false);
    expect(existsSync(join(cache, 'bin', 'new'))).toBe(true);
    await cli(['cache', '--clear'], env);
    expect(existsSync(join(cache, 'bin', 'new'))).toBe(false);
  });

  it('writes generated cases that validate', async () => {
    const out = join(dir, 'gen');
    expect((await cli(['gen', '--seed', '5', '--count', '20', '--out', out])).code).toBe(0);
    const v = await cli(['validate', out]);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toMatch(/20 cases valid/);
  });
});
