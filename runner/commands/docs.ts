import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCases } from '../corpus.js';
import { progress, theSpec } from '../context.js';
import { checkOutputDir } from '../options/checkOutput.js';
import { notApplicable } from '../selectCases.js';
import { predict } from '../../generators/oracle/predict.js';
import { opcodeRefused } from '../../generators/oracle/prep.js';
import type { ProfileSpec } from '../../spec/types.js';
import { indexPage, opPage, topicPage, type DocCase } from '../docs/renderReference.js';

/** Writes the expected-behaviour reference: one page per op and per topic, each rule with its source and cases. */
export async function docsCommand(o: { out: string }): Promise<void> {
  // the pages are regenerated in place, so an existing directory is fine; one that cannot be made is one line
  checkOutputDir('--out', o.out, { force: true });
  const spec = theSpec();
  const cases: DocCase[] = loadCases(spec).filter(({ c }) => c.provenance.kind === 'hand-written').map(({ id, c }) => {
    // the first profile the case applies to, preferring one whose tree has the case's ops (6.12 lists PIPE only to refuse it)
    const refused = (p: ProfileSpec) => c.sqes.filter((s) => opcodeRefused(spec, p, s.op)).length;
    const profile = Object.values(spec.profiles).filter((p) => !notApplicable(c, p)).sort((a, b) => refused(a) - refused(b))[0];
    return { id, c, expect: profile ? predict(spec, profile, c) : undefined };
  });
  mkdirSync(o.out, { recursive: true });
  const write = (name: string, text: string) => writeFileSync(join(o.out, name), text);
  write('index.md', indexPage(spec, cases));
  write('init.md', topicPage(spec, 'Init checks', 'io_init_req() checks every SQE before the op\'s prep; a failure here is a prep failure.', spec.init, cases));
  write('chain.md', topicPage(spec, 'Links and completions', 'How io_submit_sqes() assembles links and how results travel along them.', spec.chain, cases));
  write('spawn.md', topicPage(spec, 'The spawn context of CLONE', 'What happens to the members linked after an IORING_OP_CLONE (RFC v1).', spec.spawn, cases));
  const setupRules = spec.ring.setup_flags.flatMap((f) => (f.rule ? [{ id: f.rule.id, statement: f.rule.statement, source: f.source ?? '', res: f.rule.res }] : []));
  write('setup.md', topicPage(spec, 'Ring setup', 'Setup flags io_uring_setup() refuses together (spec/ring.yaml): the ring is never made.', setupRules, cases));
  for (const op of Object.values(spec.ops)) write(`op-${op.short.toLowerCase()}.md`, opPage(spec, op, cases));
  progress(`wrote ${4 + Object.keys(spec.ops).length} pages to ${o.out}`);
}
