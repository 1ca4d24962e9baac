import { describe, expect, it } from 'vitest';
import { explainGccFailure } from './explainGccFailure.js';

const fail = (stderr: string) => Object.assign(new Error('Command failed'), { stderr });

describe('explainGccFailure', () => {
  it('says what to install when a piece is missing', () => {
    expect(explainGccFailure('gcc', Object.assign(new Error('spawn gcc ENOENT'), { code: 'ENOENT' }), 'x.c').message).toBe('gcc not found: install gcc to build case programs');
    expect(explainGccFailure('gcc', fail('x.c:23:10: fatal error: liburing.h: No such file or directory'), 'x.c').message).toBe('liburing not found: gcc cannot find liburing.h (install liburing-dev)');
    expect(explainGccFailure('gcc', fail('/usr/bin/ld: cannot find -luring: No such file or directory'), 'x.c').message).toBe('liburing not found: the linker cannot find -luring (install liburing-dev)');
    expect(explainGccFailure('gcc', fail('/usr/bin/ld: cannot find -lc: No such file or directory'), 'x.c').message).toBe('static libc not found: gcc -static cannot find -lc (install libc6-dev)');
  });

  it('otherwise passes on what gcc said', () => {
    expect(explainGccFailure('gcc', fail("x.c:1:1: error: expected ';'"), 'x.c').message).toBe("gcc failed on x.c:\nx.c:1:1: error: expected ';'");
  });
});
