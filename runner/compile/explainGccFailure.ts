/**
 * Turns a failed gcc run into an Error: one line naming what to install when the compiler,
 * liburing or a static libc is missing, else gcc's own messages.
 */
export function explainGccFailure(cc: string, e: NodeJS.ErrnoException & { stderr?: string }, sourcePath: string): Error {
  if (e.code === 'ENOENT') return new Error(`${cc} not found: install gcc to build case programs`);
  const stderr = e.stderr ?? '';
  if (/liburing\.h: No such file/.test(stderr)) return new Error(`liburing not found: ${cc} cannot find liburing.h (install liburing-dev)`);
  if (/cannot find -luring/.test(stderr)) return new Error(`liburing not found: the linker cannot find -luring (install liburing-dev)`);
  if (/cannot find -lc\b/.test(stderr)) return new Error(`static libc not found: ${cc} -static cannot find -lc (install libc6-dev)`);
  const tail = stderr.trimEnd().split('\n').slice(0, 30).join('\n');
  return new Error(`${cc} failed on ${sourcePath}:\n${tail || e.message}`);
}
