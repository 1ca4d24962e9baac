import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadSpec } from '../spec/load/loadSpec.js';
import { readCase } from '../spec/case/parseCase.js';
import { opcodeRefused } from '../generators/oracle/prep.js';
import { prepareCase } from './prepareCase.js';

// an op a profile lists at an opcode its tree refuses (6.12's PIPE, every profile's UNSUPPORTED): the case expects
// io_init_req()'s -EINVAL, so the runtime must not probe the opcode (the probe would skip the case instead)
const spec = loadSpec();
const host = spec.profiles['upstream-6.18']!;
const rfc = spec.profiles['rfc-v1-6.12']!;

describe('ops a tree refuses by opcode', () => {
  it('are the ops at or above the profile op_last, from the init rules', () => {
    expect(opcodeRefused(spec, rfc, 'PIPE')).toBe(true);
    expect(opcodeRefused(spec, host, 'PIPE')).toBe(false);
    expect(opcodeRefused(spec, host, 'UNSUPPORTED')).toBe(true);
    expect(opcodeRefused(spec, rfc, 'NOP')).toBe(false);
    // a profile that does not list the op at all: not refused, it is not there (the case does not apply)
    expect(opcodeRefused(spec, host, 'CLONE')).toBe(false);
    // a 6.12 tree with PIPE (op_last raised past 62) probes it again
    expect(opcodeRefused(spec, { ...rfc, features: { ...rfc.features, op_last: 63 } }, 'PIPE')).toBe(false);
  });

  it('are left out of the opcodes a case probes', () => {
    const c = readCase(join(__dirname, '..', 'cases', 'pipe', '6.12-lacks-pipe.yaml'), spec);
    expect(prepareCase(spec, rfc, 'pipe/6.12-lacks-pipe', c).form.probe.map((p) => p.op)).toEqual(['NOP']);
    const onHost = readCase(join(__dirname, '..', 'cases', 'pipe', 'creates-pipe.yaml'), spec);
    expect(prepareCase(spec, host, 'pipe/creates-pipe', onHost).form.probe.map((p) => p.op).sort()).toEqual(['NOP', 'PIPE']);
    const planted = { ...rfc, features: { ...rfc.features, op_last: 63 } };
    expect(prepareCase(spec, planted, 'pipe/6.12-lacks-pipe', c).form.probe.map((p) => p.op).sort()).toEqual(['NOP', 'PIPE']);
  });
});
