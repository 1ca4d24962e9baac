/**
 * What the coverage variant changes: GCOV_KERNEL with profiling limited to io_uring/
 * and the two files outside it the RFC touches. (KCOV is per task: it does not follow
 * the spawn task a CLONE creates nor io-wq workers, so it would miss much of the
 * RFC's code; GCOV counts globally.)
 */
export const COVERAGE_CONFIG: Record<string, string> = {
  DEBUG_FS: 'y',
  GCOV_KERNEL: 'y',
  GCOV_PROFILE_ALL: 'n',
};

/** Lines appended to the patched tree's Makefiles (kbuild reads GCOV_PROFILE[_obj.o] there). */
export const COVERAGE_MAKEFILE_LINES: { makefile: string; line: string }[] = [
  { makefile: 'io_uring/Makefile', line: 'GCOV_PROFILE := y' },
  { makefile: 'kernel/Makefile', line: 'GCOV_PROFILE_fork.o := y' },
  { makefile: 'fs/Makefile', line: 'GCOV_PROFILE_exec.o := y' },
];

/** Sources whose .gcno files and text go into the cache entry, as globs relative to the tree. */
export const PROFILED_SOURCES = ['io_uring/*.c', 'io_uring/*.h', 'kernel/fork.c', 'fs/exec.c'];

/** The text of the Makefile additions, for the cache key. */
export function coverageMakefileText(): string {
  return COVERAGE_MAKEFILE_LINES.map((m) => `${m.makefile}: ${m.line}`).join('\n') + '\n';
}
