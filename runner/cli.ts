import { Command, InvalidArgumentError } from 'commander';
import { exitCodeFor, isInputProblem } from './exitCode.js';
import { installInterruptHandlers, interrupted, Interrupted } from './interrupt.js';
import type { Tally } from './verdict.js';
import { validateCommand } from './commands/validate.js';
import { predictCommand } from './commands/predict.js';
import { genCommand } from './commands/gen.js';
import { renderCommand } from './commands/render.js';
import { runCommand } from './commands/run.js';
import { fuzzCommand } from './commands/fuzz.js';
import { diffCommand } from './commands/diff.js';
import { docsCommand } from './commands/docs.js';
import { kernelBuildCommand } from './commands/kernelBuild.js';
import { kernelSeriesCommand } from './commands/kernelSeries.js';
import { coverageCommand } from './commands/coverage.js';
import { reportCommand } from './commands/report.js';
import { mergeCommand } from './commands/merge.js';
import { cacheCommand } from './commands/cache.js';

const int = (name: string, min = -Infinity) => (v: string) => {
  if (!/^-?\d+$/.test(v)) throw new InvalidArgumentError(`${name} must be an integer, got "${v}"`);
  if (Number(v) < min) throw new InvalidArgumentError(`${name} must be at least ${min}, got ${v}`);
  return Number(v);
};

/** A system call that failed on a path the user gave (EACCES, ENOSPC, ...): one line, not a stack. */
const userFsError = (e: unknown): e is NodeJS.ErrnoException & { path: string } =>
  e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && typeof (e as NodeJS.ErrnoException).path === 'string';

/**
 * Runs a command with the exit policy. `quick` commands (no long work, nothing that watches
 * `interrupted()`) exit 130 at Ctrl-C right away; the others stop cleanly (runner/interrupt.ts).
 */
async function main(action: () => Promise<{ tally?: Tally } | void>, o: { quick?: boolean } = {}): Promise<void> {
  installInterruptHandlers({ atOnce: o.quick ?? false });
  try {
    const r = await action();
    process.exitCode = exitCodeFor({ ...(r ?? {}), interrupted: interrupted() });
  } catch (e) {
    if (e instanceof Interrupted || interrupted()) { process.exitCode = exitCodeFor({ interrupted: true }); return; }
    if (isInputProblem(e)) process.stderr.write(`uringspec: ${e.message}\n`);
    else if (userFsError(e)) process.stderr.write(`uringspec: ${e.path}: ${e.code} (${e.syscall})\n`);
    else process.stderr.write(`uringspec: internal error: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = exitCodeFor({ error: e });
  }
  // an interrupted command ends now, even if a compile it no longer waits for is still running
  if (interrupted()) process.exit(process.exitCode);
}

const program = new Command('uringspec')
  .description('conformance corpus and generator for io_uring, with IORING_OP_CLONE / IORING_OP_EXEC')
  .exitOverride((err) => { process.exit(err.exitCode === 0 ? 0 : 2); });

program.command('validate').argument('[files...]', 'case files or directories (default: the whole corpus)')
  .description('check the spec and the cases (schema, rule ids, fixtures, the oracle runs on each)')
  .action((files: string[]) => main(() => validateCommand(files), { quick: true }));

program.command('predict').argument('<case>', 'a case file (its expect, if any, is ignored)')
  .option('--profile <name>', 'kernel profile (default: the first that suits the case: upstream-6.18, or a spawn profile)')
  .description('print the expected CQEs of a case as JSON')
  .action((file: string, o: { profile?: string }) => main(() => predictCommand(file, o), { quick: true }));

program.command('gen').requiredOption('--seed <n>', 'seed', int('--seed')).requiredOption('--count <n>', 'how many', int('--count', 1))
  .requiredOption('--out <dir>', 'output directory').option('--profile <name>', 'kernel profile', 'upstream-6.18')
  .option('--spawn', 'generate CLONE/EXEC chains (needs a spawn profile)').option('--force', 'write into an --out directory that is not empty')
  .description('write generated cases, with expectations from the oracle')
  .action((o) => main(() => genCommand(o), { quick: true }));

program.command('render').argument('<case>', 'a case file').option('--profile <name>', 'kernel profile (default: the first that suits the case)')
  .description('print the standalone C program of a case')
  .action((file: string, o: { profile?: string }) => main(() => renderCommand(file, o), { quick: true }));

program.command('run').argument('[cases...]', 'case files or directories (default: the whole corpus)')
  .option('--target <target>', 'host or qemu', 'host').option('--kernel <bzImage>', 'kernel image for --target qemu')
  .option('--profile <name>', 'kernel profile (default: detected on host, rfc-v1-6.12 in qemu)')
  .option('--series <path>', 'patch series to build the reference kernel from: public-inbox page, mbox or format-patch dir (qemu, no --kernel; default: runner/kernel/series/)')
  .option('--debug-kernel', 'build and boot the KASAN + lockdep variant')
  .option('--json <file>', 'write verdicts as JSON').option('--junit <file>', 'write JUnit XML')
  .option('--jobs <n>', 'parallel compiles', int('--jobs', 1), 2).option('--timeout <sec>', 'per-case timeout', int('--timeout', 1), 20)
  .option('--shard <i/N>', 'run only shard i of N (cases split stably by id; join the shards\' --json with merge)')
  .option('--standalone', 'compile and run each case as its own C program instead of through the executor')
  .option('--repro <dir>', 'write the standalone C reproducer of every case that does not pass')
  .description('run cases on the host or in QEMU through the executor; KTAP on stdout as each case ends')
  .action((cases: string[], o) => main(() => runCommand(cases, o)));

program.command('fuzz').option('--target <target>', 'host or qemu', 'host').requiredOption('--seed <n>', 'seed', int('--seed'))
  .option('--runs <n>', 'number of generated chains', int('--runs', 1)).option('--time <sec>', 'time budget in seconds', int('--time', 1))
  .option('--path <path>', 'replay one counterexample path').option('--profile <name>', 'kernel profile')
  .option('--kernel <bzImage>', 'kernel image for --target qemu').option('--out <dir>', 'where found cases go', 'cases/found')
  .option('--max-failures <n>', 'stop after this many distinct failures', int('--max-failures', 1), 5)
  .option('--timeout <sec>', 'per-chain timeout', int('--timeout', 1), 20)
  .option('--shard <i/N>', 'run only shard i of N of the campaign (chunk k of seed + k goes to shard k mod N)')
  .option('--grow-from <dir>', 'also grow chains from the case files there (a prefix of one, then a fresh chain), e.g. the seeds of coverage --keep-seeds')
  .description('run generated chains through the executor against the oracle; shrink, confirm and keep each failure as a case')
  .action((o) => main(() => fuzzCommand(o)));

const collect = (v: string, prev: string[] = []) => [...prev, v];
program.command('diff').requiredOption('--target <target>', 'host or qemu; give it twice', collect).requiredOption('--seed <n>', 'seed', int('--seed'))
  .option('--kernel <bzImage>', 'kernel image for a qemu target, in order; give it twice for two qemu targets', collect)
  .option('--profile <name>', 'kernel profile of each target, in order', collect)
  .option('--runs <n>', 'number of generated chains', int('--runs', 1)).option('--time <sec>', 'time budget in seconds', int('--time', 1))
  .option('--out <dir>', 'where differing chains go', 'diff-out').option('--timeout <sec>', 'per-chain timeout', int('--timeout', 1), 20)
  .description('run the same generated chains on two targets and report, shrunk, every chain whose observations differ')
  .action((o) => main(() => diffCommand(o)));

program.command('docs').option('--out <dir>', 'output directory', 'docs/reference')
  .description('generate the expected-behaviour reference from the spec and the corpus')
  .action((o) => main(() => docsCommand(o), { quick: true }));

program.command('report').requiredOption('--from <json>', 'a run written with run --json').requiredOption('--out <file>', 'markdown file')
  .option('--force', 'overwrite an existing --out file')
  .description('turn a run into a conformance report per rule and per case')
  .action((o) => main(() => reportCommand(o), { quick: true }));

program.command('merge').argument('<json...>', 'the --json files of the shards of one run')
  .option('--ktap', 'print the joined KTAP on stdout').option('--json <file>', 'write the joined run as JSON')
  .option('--junit <file>', 'write JUnit XML').option('--report <file>', 'write the conformance report').option('--force', 'overwrite existing output files')
  .description('join the JSON results of run --shard i/N into one KTAP, JUnit and report')
  .action((files: string[], o) => main(() => mergeCommand(files, o), { quick: true }));

program.command('cache').option('--prune', 'evict least recently used entries down to $URINGSPEC_CACHE_MAX (default 300M)')
  .option('--clear', 'remove everything but what a running build holds')
  .description('show the cache ($URINGSPEC_CACHE) by kind of entry, and manage its size')
  .action((o) => main(() => cacheCommand(o), { quick: true }));

program.command('coverage').argument('[cases...]', 'case files or directories (default: the whole corpus)').requiredOption('--out <file>', 'markdown report')
  .option('--profile <name>', 'kernel profile (a QEMU one)', 'rfc-v1-6.12').option('--series <path>', 'patch series for the coverage kernel (default: runner/kernel/series/)')
  .option('--timeout <sec>', 'per-case timeout', int('--timeout', 1), 20)
  .option('--fuzz-time <sec>', 'then a coverage-guided campaign of this many seconds in the same boot', int('--fuzz-time', 1))
  .option('--seed <n>', 'seed of that campaign (default: from the clock, printed in the report)', int('--seed'))
  .option('--keep-seeds <dir>', "write the campaign's seeds there as case files (for fuzz --grow-from)")
  .description('run cases (and a guided campaign) through the executor in the GCOV kernel, counters reset and dumped around each program; report the RFC lines and branches they reach')
  .action((cases: string[], o) => main(() => coverageCommand(cases, o)));

const kernel = program.command('kernel').description('the patched reference kernel');
kernel.command('build').option('--series <path>', 'the RFC series: a public-inbox page, an mbox (b4 mbox / b4 am) or a git format-patch directory (default: the copy in runner/kernel/series/)')
  .option('--debug', 'KASAN + lockdep variant').option('--coverage', 'GCOV variant (io_uring/, kernel/fork.c, fs/exec.c profiled)')
  .option('--extra-patch <file>', 'a patch of yours applied after the series (repeatable, in order; its diff enters the cache key)', collect)
  .description('build (or reuse from the cache) the reference bzImage; prints its path')
  .action((o) => main(() => kernelBuildCommand(o)));
kernel.command('series').requiredOption('--series <path>', 'a public-inbox page, an mbox or a git format-patch directory').requiredOption('--out <dir>', 'directory for the git format-patch files')
  .description('write a series as git format-patch files (how runner/kernel/series/ was made)')
  .action((o) => main(() => kernelSeriesCommand(o), { quick: true }));

await program.parseAsync(process.argv);
