import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's linux-source-6.12 tarball: the kernel's own KTAP parser lives in it. */
export const LINUX_SOURCE = '/usr/src/linux-source-6.12.tar.xz';

export interface ParsedTest { name: string; status: string; log: string[] }
export interface Parsed { status: string; counts: Record<string, number>; tests: ParsedTest[] }

const SCRIPT = `
import json, sys
sys.path.insert(0, sys.argv[1])
import kunit_parser
with open(sys.argv[2]) as f:
    lines = f.read().splitlines(keepends=True)
t = kunit_parser.parse_run_tests(lines)
c = t.counts
with open(sys.argv[3], 'w') as out:
  out.write(json.dumps({'status': t.status.name,
  'counts': {'passed': c.passed, 'failed': c.failed, 'crashed': c.crashed, 'skipped': c.skipped, 'errors': c.errors},
  'tests': [{'name': s.name, 'status': s.status.name, 'log': s.log} for s in t.subtests]}))
`;

/**
 * Extracts tools/testing/kunit from the linux-source tarball into a temp dir and returns a parse function
 * that feeds KTAP lines to kunit_parser.parse_run_tests() (what `kunit.py parse` calls); undefined when the
 * tarball is not installed. Call the returned cleanup when done.
 */
export function kunitParser(): { parse: (ktap: string) => Parsed; cleanup: () => void } | undefined {
  if (!existsSync(LINUX_SOURCE)) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'uringspec-kunit-'));
  execFileSync('tar', ['-xJf', LINUX_SOURCE, '-C', dir, '--strip-components=1', '--wildcards', '*/tools/testing/kunit/*.py']);
  const kunit = join(dir, 'tools/testing/kunit');
  writeFileSync(join(dir, 'parse.py'), SCRIPT);
  return {
    parse(ktap) {
      const f = join(dir, 'out.ktap');
      writeFileSync(f, ktap);
      execFileSync('python3', [join(dir, 'parse.py'), kunit, f, `${f}.json`], { stdio: 'ignore' });
      return JSON.parse(readFileSync(`${f}.json`, 'utf8')) as Parsed;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
