import { readCase } from '../../spec/case/parseCase.js';
import { caseId } from '../corpus.js';
import { profileNamed, theSpec } from '../context.js';
import { prepareCase } from '../prepareCase.js';

export async function renderCommand(file: string, o: { profile: string }): Promise<void> {
  const spec = theSpec();
  const c = readCase(file, spec);
  process.stdout.write(prepareCase(spec, profileNamed(spec, o.profile), caseId(file), c).source);
}
