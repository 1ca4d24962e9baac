import { describe, expect, it } from 'vitest';
import { InterruptRegistry } from './interrupt.js';

describe('InterruptRegistry', () => {
  it('runs every registered cleanup once on the first signal, even when one throws', () => {
    const r = new InterruptRegistry();
    const ran: string[] = [];
    r.add(() => { ran.push('a'); });
    r.add(() => { throw new Error('boom'); });
    r.add(() => { ran.push('c'); });
    expect(r.fire('SIGINT')).toBe(true);
    expect(ran).toEqual(['a', 'c']);
    expect(r.fire('SIGINT')).toBe(false);
    expect(ran).toEqual(['a', 'c']);
    expect(r.signal).toBe('SIGINT');
  });

  it('runs a cleanup registered after the signal at once', () => {
    const r = new InterruptRegistry();
    r.fire('SIGINT');
    let ran = 0;
    r.add(() => { ran++; })();
    expect(ran).toBe(1);
    expect(r.size).toBe(0);
  });

  it('does not run a cleanup that was unregistered', () => {
    const r = new InterruptRegistry();
    let ran = false;
    const off = r.add(() => { ran = true; });
    off();
    expect(r.size).toBe(0);
    r.fire('SIGTERM');
    expect(ran).toBe(false);
  });
});
