/** Seconds as a person reads them: 42s, 3m05s, 1h02m. */
export function duration(sec: number): string {
  const s = Math.max(0, Math.round(sec));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * One progress line for long work: `[12/40] 30% 1.5 cases/s, 19s left, <what>`. The rate and time left
 * come from the work done so far; before anything finished there is no estimate.
 */
export function progressLine(o: { done: number; total: number; elapsedMs: number; unit?: string; what?: string }): string {
  const unit = o.unit ?? 'cases';
  const pct = o.total > 0 ? Math.floor((100 * o.done) / o.total) : 100;
  let line = `[${o.done}/${o.total}] ${pct}%`;
  if (o.done > 0 && o.elapsedMs > 0) {
    const rate = (o.done * 1000) / o.elapsedMs;
    line += ` ${rate >= 10 ? rate.toFixed(0) : rate.toFixed(1)} ${unit}/s, ${duration((o.total - o.done) / rate)} left`;
    if (o.what) line += ',';
  }
  return o.what ? `${line} ${o.what}` : line;
}
