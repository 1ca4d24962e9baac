import { closeSync, constants, openSync, readSync, writeSync } from 'node:fs';
import { classifyKernelLine, type Finding } from '../qemu/findings.js';

/**
 * The host kernel log, read record by record from /dev/kmsg, so that whatever the kernel says while a
 * case runs is attributed to that case. Without access (not root) it reads nothing and says so once.
 */
export class KernelLog {
  private fd: number | undefined;
  private readonly buf = Buffer.alloc(8192);
  readonly available: boolean;

  constructor() {
    try {
      this.fd = openSync('/dev/kmsg', constants.O_RDWR | constants.O_NONBLOCK);
      this.drain();
    } catch {
      this.fd = undefined;
    }
    this.available = this.fd !== undefined;
  }

  /** Reads every record written since the last call; each record is one line of text. */
  drain(): string[] {
    const lines: string[] = [];
    if (this.fd === undefined) return lines;
    for (;;) {
      let n: number;
      try {
        n = readSync(this.fd, this.buf, 0, this.buf.length, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') continue; // records were overwritten before we read them
        break; // EAGAIN: nothing more
      }
      if (n <= 0) break;
      const rec = this.buf.toString('utf8', 0, n);
      const semi = rec.indexOf(';');
      lines.push((semi >= 0 ? rec.slice(semi + 1) : rec).split('\n')[0]!);
    }
    return lines;
  }

  mark(text: string): void {
    if (this.fd === undefined) return;
    try { writeSync(this.fd, `uringspec: ${text}\n`); } catch { /* the marker is a courtesy */ }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

export function findingsIn(lines: string[]): Finding[] {
  return lines.flatMap((line) => {
    const kind = classifyKernelLine(line);
    return kind ? [{ kind, line }] : [];
  });
}
