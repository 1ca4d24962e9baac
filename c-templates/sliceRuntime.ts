import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The C runtime, sliced like syzkaller's csource: each helper in runtime/*.c sits between
 * `/* @section NAME | needs: A B | includes: <x.h> *\/` and `/* @end *\/`. A case gets only the
 * sections it asks for plus what they need, in file order, and the union of their includes.
 * Inside a section, lines between `/* @if NAME *\/` and `/* @endif *\/` are kept only when NAME is
 * sliced in too (a section, or a feature `f_...` the caller names): a case without that need gets
 * none of that code, and the executor (every: true) all of it.
 */

/** Files in dependency order: a section may only need sections above it. */
const RUNTIME_FILES = [
  'report.c', 'tmpdir.c', 'expect.c', 'ring.c', 'fixtures.c', 'exec.c', 'helper-report.c', 'spawn.c', 'report-check.c', 'spawn-check.c', 'creds.c',
  'program.c', 'executor.c',
];

interface Section {
  name: string;
  file: string;
  needs: string[];
  includes: string[];
  text: string;
}

const OPEN = /^\/\* @section (.+) \*\/$/;
const CLOSE = /^\/\* @end \*\/$/;

function parseHeader(file: string, line: number, header: string): Omit<Section, 'text'> {
  const [name, ...attrs] = header.split(' | ');
  if (!name || !/^t_[a-z0-9_]+$/.test(name)) throw new Error(`runtime/${file}:${line}: bad section name "${name}"`);
  const s = { name, file, needs: [] as string[], includes: [] as string[] };
  for (const attr of attrs) {
    const m = /^(needs|includes): (.+)$/.exec(attr);
    if (!m) throw new Error(`runtime/${file}:${line}: bad section attribute "${attr}"`);
    s[m[1] as 'needs' | 'includes'] = m[2]!.trim().split(/\s+/);
  }
  return s;
}

function parseFile(file: string, src: string): Section[] {
  const sections: Section[] = [];
  let open: Omit<Section, 'text'> | undefined;
  let body: string[] = [];
  src.split('\n').forEach((line, i) => {
    const start = OPEN.exec(line);
    if (start) {
      if (open) throw new Error(`runtime/${file}:${i + 1}: section ${open.name} is not closed`);
      open = parseHeader(file, i + 1, start[1]!);
      body = [];
    } else if (CLOSE.test(line)) {
      if (!open) throw new Error(`runtime/${file}:${i + 1}: @end without @section`);
      sections.push({ ...open, text: body.join('\n') });
      open = undefined;
    } else if (open) {
      body.push(line);
    }
  });
  if (open) throw new Error(`runtime/${file}: section ${open.name} is not closed`);
  return sections;
}

function loadSections(): Map<string, Section> {
  const all = new Map<string, Section>();
  for (const file of RUNTIME_FILES) {
    const src = readFileSync(fileURLToPath(new URL(`./runtime/${file}`, import.meta.url)), 'utf8');
    for (const s of parseFile(file, src)) {
      if (all.has(s.name)) throw new Error(`runtime/${file}: section ${s.name} is defined twice`);
      for (const n of s.needs) {
        if (!all.has(n)) throw new Error(`runtime/${file}: section ${s.name} needs ${n}, which is not defined above it`);
      }
      all.set(s.name, s);
    }
  }
  return all;
}

let cache: Map<string, Section> | undefined;

const IF = /^\/\* @if ([a-z0-9_]+) \*\/$/;
const ENDIF = /^\/\* @endif \*\/$/;

/** A section's text without its `@if NAME` blocks whose NAME is not kept (blocks do not nest). */
function conditional(s: Section, keep: (name: string) => boolean): string {
  const out: string[] = [];
  let open: string | undefined;
  for (const line of s.text.split('\n')) {
    const m = IF.exec(line);
    if (m) {
      if (open) throw new Error(`runtime/${s.file}: section ${s.name}: @if ${m[1]} inside @if ${open}`);
      open = m[1]!;
    } else if (ENDIF.test(line)) {
      if (!open) throw new Error(`runtime/${s.file}: section ${s.name}: @endif without @if`);
      open = undefined;
    } else if (!open || keep(open)) {
      out.push(line);
    }
  }
  if (open) throw new Error(`runtime/${s.file}: section ${s.name}: @if ${open} is not closed`);
  return out.join('\n');
}

/** The named runtime sections and everything they need, as C text, plus the headers they include. */
export function sliceRuntime(wanted: string[], o: { every?: boolean } = {}): { includes: string[]; code: string } {
  const all = (cache ??= loadSections());
  const used = new Set<string>();
  const features = new Set(wanted.filter((w) => w.startsWith('f_')));
  const visit = (name: string) => {
    if (used.has(name) || features.has(name)) return;
    const s = all.get(name);
    if (!s) throw new Error(`no runtime section named ${name}`);
    used.add(name);
    s.needs.forEach(visit);
  };
  wanted.forEach(visit);
  const picked = [...all.values()].filter((s) => used.has(s.name));
  const parts: string[] = [];
  let file = '';
  for (const s of picked) {
    if (s.file !== file) parts.push(`/* ---- runtime/${(file = s.file)} ---- */`);
    parts.push(conditional(s, (n) => o.every === true || used.has(n) || features.has(n)).trim());
  }
  const includes = [...new Set(picked.flatMap((s) => s.includes))].sort();
  return { includes, code: parts.join('\n\n') + '\n' };
}
