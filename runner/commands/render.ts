import { readCase } from '../../spec/case/parseCase.js';
import { caseId } from '../corpus.js';
import { theSpec } from '../context.js';
import { prepareCase } from '../prepareCase.js';
import { profileForCase } from '../caseProfile.js';

export async function renderCommand(file: string, o: { profile?: string }): Promise<void> {
  const spec = theSpec();
  const c = readCase(file, spec);
  process.stdout.write(prepareCase(spec, profileForCase(spec, file, c, o.profile), caseId(file), c).source);
}
