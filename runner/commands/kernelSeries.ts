import { EnvironmentError } from '../../spec/load/inputError.js';
import { readSeries } from '../kernel/readSeries.js';
import { writeSeries } from '../kernel/writeSeries.js';
import { progress } from '../context.js';

/** Converts a series (page, mbox or format-patch directory) into a directory of git format-patch files. */
export async function kernelSeriesCommand(o: { series: string; out: string }): Promise<void> {
  const { format, patches } = await readSeries(o.series);
  let files: string[];
  try {
    files = writeSeries(patches, o.out);
  } catch (e) {
    throw new EnvironmentError(`--out ${(e as Error).message}`);
  }
  progress(`read ${patches.length} patches from a ${format}; wrote ${files.length} files to ${o.out}`);
  for (const f of files) process.stdout.write(`${f}\n`);
}
