import fc from 'fast-check';
import { loadSpec } from './spec/load/loadSpec.js';
import { predict } from './generators/oracle/predict.js';
import { linkedChain } from './generators/linkedChain.js';
import { writeCase } from './spec/case/writeCase.js';
const s = loadSpec();
for (const [pn, spawn] of [['upstream-6.18', false], ['rfc-v1-6.12', true]] as const) {
const p = s.profiles[pn]!;
const t0 = Date.now(); let n = 0;
for (const c of fc.sample(linkedChain(s, p, {spawn}), {seed: 1, numRuns: 300})) { c.expect = predict(s, p, c); n++; }
console.log(pn, n, Date.now() - t0, 'ms');
const [c] = fc.sample(linkedChain(s, p, {spawn}), {seed: 11, numRuns: 1}); c!.expect = predict(s, p, c!); console.log(writeCase(c!));
}
