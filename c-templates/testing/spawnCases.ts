import type { Case, Expectation, ProfileSpec } from '../../spec/types.js';
import { hostProfile } from './hostProfile.js';

type Sample = Case & { expect: Expectation };

/** The RFC kernel's opcodes (spec/profiles/rfc-v1-6.12.yaml): CLONE and EXEC exist only there. */
export const spawnProfile: ProfileSpec = {
  ...hostProfile,
  name: 'rfc-v1-test',
  kernel: '6.12 + io_uring-spawn RFC v1',
  opcodes: { ...hostProfile.opcodes, CLONE: 58, EXEC: 59 },
  target: 'qemu',
};

const base = { rules: [], provenance: { kind: 'hand-written' as const } };
const fixtures = {
  p0: { kind: 'pipe' as const, bytes: 4 },
  f0: { kind: 'file' as const, size: 8 },
  top: { kind: 'dir' as const, self: true },
  h: { kind: 'exec-helper' as const, exit: 3 },
  m: { kind: 'exec-missing' as const },
};

/**
 * Spawn chains with expectations as the oracle writes them (see generators/oracle/runSpawn.ts).
 * They only run on the RFC kernel; on the host the renderer's tests compile them.
 */
export const spawnCases: Record<string, Sample> = {
  /* the $PATH search: a miss, a hit, and what the hit cancels */
  pathSearch: {
    ...base,
    description: 'CLONE, then EXEC of a missing path, of the helper and of another path, hard-linked',
    ring: { entries: 8 },
    fixtures,
    sqes: [
      { op: 'CLONE', flags: ['IOSQE_IO_LINK'] },
      { op: 'EXEC', flags: ['IOSQE_IO_HARDLINK'], fields: { fd: -100, addr: { path: 'm' }, addr2: { argv: ['m'] } } },
      { op: 'EXEC', flags: ['IOSQE_IO_HARDLINK'], fields: { fd: -100, addr: { path: 'h' }, addr2: { argv: ['h', 'x'] }, addr3: { envp: ['A=1'] } } },
      { op: 'EXEC', fields: { fd: -100, addr: { path: 'h' } } },
    ],
    expect: {
      submitted: [4],
      cqes: [
        { user_data: 1, res: { eq: 0 }, because: ['clone.issue.ok'] },
        { user_data: 2, res: { eq: -2 }, because: ['exec.issue.missing'] },
        { user_data: 3, res: { eq: 0 }, because: ['exec.issue.ok'] },
        { user_data: 4, res: { eq: -125 }, because: ['spawn.exec.success-ends-chain'] },
      ],
      order: [[2, 3], [3, 4]],
      spawn: {
        tasks: [{
          head: 1, outcome: 'exec', exit: 3,
          report: { argv: ['h', 'x'], envp: ['A=1'], cwd: '.', fds_open: ['p0.r', 'p0.w', 'f0', 'top', 'h'], fds_closed: [] },
        }],
      },
    },
  },
  /*
   * two spawns: one execs the helper by its fd (AT_EMPTY_PATH), one never execs and is killed.
   * Only compiled: the RFC's io_exec() calls getname(), which refuses an empty name (-ENOENT)
   * whatever the flags, and the kernel gives a NULL argv one "" entry.
   */
  execAndKilled: {
    ...base,
    description: 'CLONE -> EXEC of the helper by fd; CLONE -> EXEC of a missing path',
    ring: { entries: 8 },
    fixtures,
    sqes: [
      { op: 'CLONE', flags: ['IOSQE_IO_LINK'] },
      { op: 'EXEC', fields: { fd: { fd: 'h' }, addr: { str: '' }, rw_flags: 4096 } },
      { op: 'CLONE', flags: ['IOSQE_IO_LINK'] },
      { op: 'EXEC', fields: { fd: { fd: 'top' }, addr: { path: 'm' } } },
    ],
    expect: {
      submitted: [4],
      cqes: [
        { user_data: 1, res: { eq: 0 }, because: ['clone.issue.ok'] },
        { user_data: 2, res: { eq: 0 }, because: ['exec.issue.empty-path-fd'] },
        { user_data: 3, res: { eq: 0 }, because: ['clone.issue.ok'] },
        { user_data: 4, res: { eq: -2 }, because: ['exec.issue.missing'] },
      ],
      order: [],
      spawn: {
        tasks: [
          { head: 1, outcome: 'exec', exit: 3, report: { argv: [], envp: [], cwd: '.', fds_open: ['p0.r', 'p0.w', 'f0', 'top', 'h'], fds_closed: [] } },
          { head: 3, outcome: 'killed' },
        ],
      },
    },
  },
};
