/** What one `gcovdump dump <tag>` wrote: the .gcda files that changed since the last reset, by guest path. */
export interface GcovDump {
  tag: string;
  files: Map<string, Buffer>;
  /** False when the end frame never came or a count or length did not match. */
  complete: boolean;
  problems: string[];
  /** Unchanged files gcovdump left out (its end frame says how many). */
  skipped: number;
}

const FRAME = /@@(gcov-begin|gcov-end|gcda|gcdb) (\S+)(?: (.*))?$/;

interface Open {
  dump: GcovDump;
  file?: { path: string; len: number; chunks: string[] };
}

/**
 * Reassembles gcovdump's frames from a stream of lines (console lines with kernel
 * timestamps in front, or a port's lines), for any number of interleaved tags
 * (case indexes or chain ids). A tag dumped twice keeps its last dump.
 */
export class GcovFrameDecoder {
  private open = new Map<string, Open>();
  private done = new Map<string, GcovDump>();

  /** Takes one line; true when it was a gcovdump frame (callers drop it from logs). */
  push(line: string): boolean {
    const at = line.indexOf('@@gc');
    const m = at < 0 ? null : FRAME.exec(line.slice(at).replace(/\r$/, ''));
    if (!m) return false;
    const [, kind, tag, rest = ''] = m;
    if (kind === 'gcov-begin') {
      this.open.set(tag, { dump: { tag, files: new Map(), complete: false, problems: [], skipped: 0 } });
      return true;
    }
    const o = this.open.get(tag);
    if (!o) return true;
    if (kind === 'gcda') {
      this.closeFile(o);
      const f = /^(\d+) (\S+)$/.exec(rest);
      if (f) o.file = { path: f[2], len: Number(f[1]), chunks: [] };
      else o.dump.problems.push(`bad @@gcda frame: ${rest.slice(0, 80)}`);
    } else if (kind === 'gcdb') {
      if (o.file) o.file.chunks.push(rest.trim());
    } else {
      this.closeFile(o);
      const count = /files=(\d+)/.exec(rest);
      const skipped = /skipped=(\d+)/.exec(rest);
      o.dump.skipped = skipped ? Number(skipped[1]) : 0;
      if (!count || Number(count[1]) !== o.dump.files.size) o.dump.problems.push(`end frame says ${count?.[1] ?? '?'} files, ${o.dump.files.size} arrived`);
      o.dump.complete = o.dump.problems.length === 0;
      this.done.set(tag, o.dump);
      this.open.delete(tag);
    }
    return true;
  }

  private closeFile(o: Open): void {
    if (!o.file) return;
    const data = Buffer.from(o.file.chunks.join(''), 'base64');
    if (data.length !== o.file.len) o.dump.problems.push(`${o.file.path}: ${data.length} of ${o.file.len} bytes arrived`);
    else o.dump.files.set(o.file.path, data);
    o.file = undefined;
  }

  /** Finished dumps by tag, and those whose end frame never came (incomplete). */
  dumps(): Map<string, GcovDump> {
    const all = new Map(this.done);
    for (const [tag, o] of this.open) {
      this.closeFile(o);
      all.set(tag, { ...o.dump, complete: false, problems: [...o.dump.problems, 'no @@gcov-end frame'] });
    }
    return all;
  }
}

/** Decodes every dump in a list of lines. */
export function decodeGcovFrames(lines: Iterable<string>): Map<string, GcovDump> {
  const d = new GcovFrameDecoder();
  for (const l of lines) d.push(l);
  return d.dumps();
}
