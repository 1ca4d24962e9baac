import type { Coverage } from './gcovJson.js';
import type { RfcHunk, RfcLines } from './rfcLines.js';
import { enclosingFunction } from './enclosingFunction.js';

/** RFC lines, or with `branches` the branches of RFC lines, that no chain of the case model can reach. */
export interface KnownGap { file: string; function: string; match?: string; branches?: boolean; reason: string }

export interface Count { total: number; reached: number }

export interface LineReport {
  line: number;
  text: string;
  count: number;
  /** Cases whose dump has this line executed, in the order the cases ran. */
  reachedBy: string[];
  branches: Count;
  /** Rules citing the line's function: the nearest rules of a line or branch no case reached. */
  rules: string[];
  gap?: string;
}

export interface FunctionReport { name: string; lines: Count; branches: Count; cases: string[]; rows: LineReport[] }
export interface FileReport { file: string; newFile: boolean; hunks: RfcHunk[]; rfcLines: number; lines: Count; branches: Count; functions: FunctionReport[] }
export interface GapReport extends KnownGap { lines: number[]; reachedNow: number[] }
export interface CoverageModel { cases: string[]; files: FileReport[]; gaps: GapReport[] }

export interface ModelInput {
  /** gcov of the kernel with no counts (every .gcno): which lines are executable, and their branches. */
  baseline: Coverage;
  /** Per case, in run order: the coverage its dump gave (files it did not reach are absent). */
  perCase: [string, Coverage][];
  rfc: RfcLines;
  sources: Map<string, string[]>;
  rulesByFunction: Map<string, string[]>;
  gaps: KnownGap[];
}

const add = (a: Count, b: Count): Count => ({ total: a.total + b.total, reached: a.reached + b.reached });
const ZERO: Count = { total: 0, reached: 0 };

/**
 * The coverage of the RFC's lines: per file and per function, lines and branches
 * reached and by which cases, with the nearest rules of the lines none reached.
 * Pure: gcov's output, the applied series and the spec come in as data.
 */
export function coverageModel(i: ModelInput): CoverageModel {
  const gapOf = (file: string, fn: string, text: string) => i.gaps.find((g) => g.file === file && g.function === fn && (!g.match || text.includes(g.match)));
  const gapLines = new Map<KnownGap, GapReport>(i.gaps.map((g) => [g, { ...g, lines: [], reachedNow: [] }]));
  const files: FileReport[] = [];
  for (const [file, hunks] of [...i.rfc.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const base = i.baseline.get(file);
    if (!base) continue;
    const byFn = new Map<string, FunctionReport>();
    for (const line of hunks.flatMap((h) => h.added)) {
      const b = base.lines.get(line);
      if (!b) continue;
      const text = i.sources.get(file)?.[line - 1] ?? '';
      const fn = b.fn ?? enclosingFunction(i.sources.get(file) ?? [], line) ?? '(file scope)';
      const reachedBy: string[] = [];
      const taken = b.branches.map(() => false);
      let count = 0;
      for (const [id, cov] of i.perCase) {
        const l = cov.get(file)?.lines.get(line);
        if (!l) continue;
        if (l.count > 0) reachedBy.push(id);
        count += l.count;
        l.branches.forEach((c, k) => (taken[k] ||= c > 0));
      }
      const row: LineReport = { line, text, count, reachedBy, branches: { total: taken.length, reached: taken.filter(Boolean).length }, rules: i.rulesByFunction.get(fn) ?? [] };
      // Without `match` an entry covers the function's unreached lines (or untaken branches); with one, it
      // claims that line (or its untaken branches) cannot be reached, and is out of date once it is.
      const gap = gapOf(file, fn, text);
      const missing = gap?.branches ? row.branches.reached < row.branches.total : reachedBy.length === 0;
      if (gap && (gap.match || missing) && (!gap.branches || row.branches.total > 0)) {
        row.gap = gap.reason;
        gapLines.get(gap)!.lines.push(line);
        if (!missing) gapLines.get(gap)!.reachedNow.push(line);
      }
      let f = byFn.get(fn);
      if (!f) byFn.set(fn, (f = { name: fn, lines: ZERO, branches: ZERO, cases: [], rows: [] }));
      f.rows.push(row);
      f.lines = add(f.lines, { total: 1, reached: reachedBy.length ? 1 : 0 });
      f.branches = add(f.branches, row.branches);
      for (const id of reachedBy) if (!f.cases.includes(id)) f.cases.push(id);
    }
    const functions = [...byFn.values()].sort((a, b) => a.rows[0].line - b.rows[0].line);
    for (const f of functions) f.cases = i.perCase.map(([id]) => id).filter((id) => f.cases.includes(id));
    files.push({
      file, hunks, newFile: hunks.some((h) => h.created),
      rfcLines: hunks.reduce((n, h) => n + h.added.length, 0),
      lines: functions.reduce((c, f) => add(c, f.lines), ZERO), branches: functions.reduce((c, f) => add(c, f.branches), ZERO), functions,
    });
  }
  return { cases: i.perCase.map(([id]) => id), files, gaps: [...gapLines.values()] };
}
