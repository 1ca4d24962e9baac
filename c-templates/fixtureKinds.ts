import type { Fixture } from '../spec/types.js';

/** What the renderer needs to know of a fixture kind: which refs it can answer and how to create it. */
export interface FixtureKind {
  /** `{fd: name}` resolves to the fixture's fd */
  fd: boolean;
  /** `{fd: name, end: 'w'}` resolves to a write end */
  writeEnd: boolean;
  /** `{path: name}` resolves to the fixture's path */
  path: boolean;
  /** arguments of t_fixture_<kind>(f, name, ...) after the name; index is the fixture's position */
  args(f: Fixture, index: number): string[];
}

const none = () => [];

export const FIXTURE_KINDS: Record<Fixture['kind'], FixtureKind> = {
  pipe: {
    fd: true, writeEnd: true, path: false,
    args: (f) => (f.kind === 'pipe' ? [`${f.bytes ?? 0}`, f.writer_closed ? '1' : '0'] : []),
  },
  file: {
    fd: true, writeEnd: false, path: true,
    args: (f) => (f.kind === 'file' ? [`${f.size ?? 0}`, `0${(f.mode ?? 0o644).toString(8)}`] : []),
  },
  dir: { fd: true, writeEnd: false, path: true, args: none },
  'closed-fd': { fd: true, writeEnd: false, path: false, args: (_f, index) => [`${index}`] },
  // `exit` is for the exec helper to honour; how it learns the value is not settled yet
  'exec-helper': { fd: false, writeEnd: false, path: true, args: none },
  'exec-missing': { fd: false, writeEnd: false, path: true, args: none },
  'exec-noexec': { fd: false, writeEnd: false, path: true, args: none },
  'exec-garbage': { fd: false, writeEnd: false, path: true, args: none },
  'exec-script': {
    fd: false, writeEnd: false, path: true,
    args: (f) => [f.kind === 'exec-script' && f.interpreter === 'missing' ? '1' : '0'],
  },
  'exec-notdir': { fd: false, writeEnd: false, path: true, args: none },
};
