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

/**
 * The exit code a fixture asks of the exec helper it runs: exec-helper's `exit`, and exec-script's
 * (the case schema allows `exit` on any fixture); undefined when the fixture runs no helper.
 */
export function helperExit(f: Fixture): number | undefined {
  if (f.kind === 'exec-helper') return f.exit ?? 0;
  if (f.kind === 'exec-script' && f.interpreter !== 'missing') return (f as { exit?: number }).exit ?? 0;
  return undefined;
}

export const FIXTURE_KINDS: Record<Fixture['kind'], FixtureKind> = {
  pipe: {
    fd: true, writeEnd: true, path: false,
    args: (f) => (f.kind === 'pipe' ? [`${f.bytes ?? 0}`, f.writer_closed ? '1' : '0'] : []),
  },
  file: {
    fd: true, writeEnd: false, path: true,
    args: (f) => (f.kind === 'file' ? [`${f.size ?? 0}`, `0${(f.mode ?? 0o644).toString(8)}`] : []),
  },
  dir: {
    fd: true, writeEnd: false, path: true,
    args: (f) => [f.kind === 'dir' && f.self ? '1' : '0'],
  },
  'closed-fd': { fd: true, writeEnd: false, path: false, args: (_f, index) => [`${index}`] },
  // a copy of the helper, also open O_RDONLY for AT_EMPTY_PATH; it exits with helperExit(f)
  'exec-helper': { fd: true, writeEnd: false, path: true, args: (f) => [`${helperExit(f) ?? 0}`] },
  'exec-missing': { fd: false, writeEnd: false, path: true, args: none },
  'exec-noexec': { fd: false, writeEnd: false, path: true, args: none },
  'exec-garbage': { fd: false, writeEnd: false, path: true, args: none },
  'exec-script': {
    fd: false, writeEnd: false, path: true,
    args: (f) => [f.kind === 'exec-script' && f.interpreter === 'missing' ? '1' : '0', `${helperExit(f) ?? 0}`],
  },
  'exec-notdir': { fd: false, writeEnd: false, path: true, args: none },
};
