/** Where an executor's lines come from and its programs go: a child's pipes on the host, a virtio port of a VM. */
export interface Transport {
  /** writes text; resolves when it was taken (backpressure) */
  write(text: string): Promise<void>;
  /** called with each chunk of output, and once when the transport ends (with why, when it broke) */
  onData(cb: (chunk: string) => void): void;
  onEnd(cb: (why: string | undefined) => void): void;
  /** ends the input: the executor finishes what it has and exits */
  end(): void;
  /** stops it at once */
  kill(): void;
}

/**
 * write() for a stream with backpressure: resolves when the stream took the text; writers that wait for
 * it to drain share one listener, however many wait. `flush` releases them all (the stream ended).
 */
export function backpressuredWriter(stream: NodeJS.WritableStream, isDone: () => boolean): { write: (text: string) => Promise<void>; flush: () => void } {
  let draining: (() => void)[] = [];
  const flush = () => {
    const waiting = draining;
    draining = [];
    for (const res of waiting) res();
  };
  stream.on('drain', flush);
  return {
    write: (text) => new Promise((res) => {
      if (isDone()) return res();
      if (stream.write(text)) res();
      else draining.push(res);
    }),
    flush,
  };
}
