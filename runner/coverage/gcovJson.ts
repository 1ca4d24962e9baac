/** The parts of `gcov --json-format` (format_version 1, gcc 9 to 14) that the report reads. */
export interface GcovJsonDoc {
  format_version: string;
  files: {
    file: string;
    lines: { line_number: number; count: number; function_name?: string; branches: { count: number }[] }[];
    functions: { name: string; start_line: number; end_line: number; execution_count: number }[];
  }[];
}

export interface LineCount {
  count: number;
  /** Times each branch out of the line was taken. */
  branches: number[];
  fn?: string;
}

export interface FileCoverage {
  lines: Map<number, LineCount>;
  functions: Map<string, { start: number; end: number; count: number }>;
}

/** Source file (tree-relative) -> its coverage, for one dump. */
export type Coverage = Map<string, FileCoverage>;

/** Reads gcov's stdout: one JSON document per line, one per .gcda. */
export function parseGcovOutput(stdout: string): GcovJsonDoc[] {
  return stdout.split('\n').filter((l) => l.trim().startsWith('{')).map((l) => {
    const doc = JSON.parse(l) as GcovJsonDoc;
    if (doc.format_version !== '1' || !Array.isArray(doc.files)) throw new Error(`gcov JSON format ${doc.format_version} is not the one this reader knows (1)`);
    return doc;
  });
}

/**
 * Merges the documents of one dump by source file. A header's inline functions show
 * up in every unit that includes it: their counts add up, and so do their branches
 * when the copies have the same shape.
 */
export function coverageFromGcov(docs: GcovJsonDoc[]): Coverage {
  const out: Coverage = new Map();
  for (const doc of docs) {
    for (const f of doc.files) {
      let fc = out.get(f.file);
      if (!fc) out.set(f.file, (fc = { lines: new Map(), functions: new Map() }));
      for (const l of f.lines) {
        const prev = fc.lines.get(l.line_number);
        const branches = l.branches.map((b) => b.count);
        if (!prev) {
          fc.lines.set(l.line_number, { count: l.count, branches, ...(l.function_name ? { fn: l.function_name } : {}) });
          continue;
        }
        prev.count += l.count;
        if (prev.branches.length === branches.length) prev.branches = prev.branches.map((c, i) => c + branches[i]);
        else if (branches.length > prev.branches.length) prev.branches = branches;
      }
      for (const fn of f.functions) {
        const prev = fc.functions.get(fn.name);
        if (prev) prev.count += fn.execution_count;
        else fc.functions.set(fn.name, { start: fn.start_line, end: fn.end_line, count: fn.execution_count });
      }
    }
  }
  return out;
}
