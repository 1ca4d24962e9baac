import { describe, expect, it } from 'vitest';
import { installTestDeps, missingPackages, NEEDS } from './installTestDeps.js';

const need = (pkg: string, state: { present: Set<string> }) => ({ pkg, has: () => state.present.has(pkg) });

describe('test set-up', () => {
  it('does nothing, quietly, when everything is there', () => {
    const state = { present: new Set(['gcc', 'qemu-system-x86']) };
    const said: string[] = [];
    const apt: string[][] = [];
    expect(installTestDeps({ needs: [need('gcc', state), need('qemu-system-x86', state)], isRoot: true, apt: (a) => apt.push(a), say: (l) => said.push(l) })).toEqual([]);
    expect(apt).toEqual([]);
    expect(said).toEqual([]);
  });

  it('as root, installs only what is missing with apt-get and says so', () => {
    const state = { present: new Set(['gcc']) };
    const said: string[] = [];
    const apt: string[][] = [];
    const installed = installTestDeps({
      needs: [need('gcc', state), need('libxml2-utils', state), need('python3', state)], isRoot: true, say: (l) => said.push(l),
      apt: (a) => { apt.push(a); if (a[0] === 'install') for (const p of a.slice(4)) state.present.add(p); },
    });
    expect(installed).toEqual(['libxml2-utils', 'python3']);
    expect(apt).toEqual([['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', 'libxml2-utils', 'python3']]);
    expect(said).toEqual(['apt-get update', 'apt-get install -y --no-install-recommends libxml2-utils python3']);
  });

  it('fails when apt-get did not bring what was missing', () => {
    const state = { present: new Set<string>() };
    expect(() => installTestDeps({ needs: [need('gcc', state)], isRoot: true, apt: () => {}, say: () => {} })).toThrow(/still missing after apt-get install: gcc/);
  });

  it('not root, names what to install and runs nothing', () => {
    const state = { present: new Set<string>() };
    const said: string[] = [];
    installTestDeps({ needs: [need('gcc', state)], isRoot: false, apt: () => { throw new Error('ran apt'); }, say: (l) => said.push(l) });
    expect(said[0]).toMatch(/missing gcc; as root run: apt-get update && apt-get install -y --no-install-recommends gcc/);
  });

  it('covers what the suite uses: compiler, liburing, kernel source and build tools, QEMU, xmllint, python3', () => {
    const pkgs = NEEDS.map((n) => n.pkg);
    for (const p of ['gcc', 'liburing-dev', 'linux-source-6.12', 'qemu-system-x86', 'libxml2-utils', 'python3', 'bison', 'flex', 'libelf-dev', 'libssl-dev']) expect(pkgs).toContain(p);
    expect(missingPackages()).toEqual([]);
  });
});
