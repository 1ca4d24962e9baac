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
