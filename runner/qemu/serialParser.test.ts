import { describe, expect, it } from 'vitest';
import { SerialParser, parseSerialLine } from './serialParser.js';

describe('parseSerialLine', () => {
  it('reads frames with and without a printk timestamp', () => {
    expect(parseSerialLine('[    1.234567] @@init start=2 cases=5\r')).toEqual([{ type: 'init', start: 2, cases: 5 }]);
    expect(parseSerialLine('@@begin 3 clone/basic-link')).toEqual([{ type: 'begin', index: 3, id: 'clone/basic-link' }]);
    expect(parseSerialLine('@@done')).toEqual([{ type: 'done' }]);
  });

  it('keeps case output verbatim, spaces and all', () => {
    expect(parseSerialLine('[ 2.0] @@out 3   res=-22  @@end 9')).toEqual([{ type: 'out', index: 3, line: '  res=-22  @@end 9' }]);
    expect(parseSerialLine('@@out 3 ')).toEqual([{ type: 'out', index: 3, line: '' }]);
  });

  it('reads every end status', () => {
    expect(parseSerialLine('@@end 1 status=exit:0 timeout=0 ms=12 extra=2 stuck=0')).toEqual([
      { type: 'end', index: 1, status: { kind: 'exit', code: 0 }, timedOut: false, ms: 12, extra: 2, stuck: false },
    ]);
    expect(parseSerialLine('@@end 1 status=signal:9 timeout=1 ms=5000 extra=0 stuck=0')[0]).toMatchObject({ status: { kind: 'signal', signal: 9 }, timedOut: true });
    expect(parseSerialLine('@@end 1 status=hang timeout=1 ms=10000 extra=0 stuck=1')[0]).toMatchObject({ status: { kind: 'hang' }, stuck: true });
  });

  it('splits kernel text that precedes a frame on the same line', () => {
    expect(parseSerialLine('[    5.1] random: crng init done@@end 0 status=exit:1 timeout=0 ms=3 extra=0 stuck=0')).toEqual([
      { type: 'kernel', line: 'random: crng init done' },
      expect.objectContaining({ type: 'end', index: 0 }),
    ]);
  });

  it('treats malformed frames and everything else as kernel lines', () => {
    expect(parseSerialLine('[    0.1] Linux version 6.12')).toEqual([{ type: 'kernel', line: '[    0.1] Linux version 6.12' }]);
    expect(parseSerialLine('@@end x status=bogus')).toEqual([{ type: 'kernel', line: '@@end x status=bogus' }]);
    expect(parseSerialLine('   \r')).toEqual([]);
  });
});

describe('SerialParser', () => {
  it('reassembles lines split across chunks', () => {
    const p = new SerialParser();
    const text = '[ 0.5] boot\r\n@@begin 0 a\r\n@@out 0 hel' + 'lo\r\n[ 0.7] WARNING: x\r\n@@end 0 status=exit:0 timeout=0 ms=1 extra=0 stuck=0\r\n@@done';
    const events = [];
    for (let i = 0; i < text.length; i += 7) events.push(...p.push(text.slice(i, i + 7)));
    events.push(...p.end());
    expect(events.map((e) => e.type)).toEqual(['kernel', 'begin', 'out', 'kernel', 'end', 'done']);
    expect(events[2]).toEqual({ type: 'out', index: 0, line: 'hello' });
  });
});

describe('long output lines', () => {
  it('parses @@cont chunks like @@out frames', () => {
    expect(parseSerialLine('@@cont 4 {"a":')).toEqual([{ type: 'cont', index: 4, line: '{"a":' }]);
  });
});
