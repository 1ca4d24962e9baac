import { readFileSync } from 'node:fs';
import { isCollection, isMap, isNode, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { InputError } from './inputError.js';

/** A parsed YAML file that can point back at the line and column of any value in it. */
export interface YamlSource {
  file: string;
  data: unknown;
  /** 1-based line and column of the node at a JSON-pointer-like path, or of its nearest parent */
  locate(path: (string | number)[], atKey?: boolean): { line: number; col: number };
  /** an error at the value of path, or at its key when atKey (an unknown field) */
  error(path: (string | number)[], detail: string, atKey?: boolean): InputError;
  /** an error at the first whole-word occurrence of `word` inside the value of path (a name in an expression) */
  errorAtWord(path: (string | number)[], word: string, detail: string): InputError;
}

export function parseYaml(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const pos = lineCounter.linePos(first.pos[0]);
    const msg = first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new InputError(file, pos.line, pos.col, '(yaml)', msg);
  }
  const nodeAt = (path: (string | number)[], atKey = false): unknown => {
    let node: unknown = doc.contents;
    let found = node;
    for (const [i, key] of path.entries()) {
      if (!isCollection(node)) break;
      if (atKey && i === path.length - 1 && isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
        if (pair && isNode(pair.key)) found = pair.key;
        break;
      }
      const next = node.get(key, true);
      if (!isNode(next)) {
        // a missing key: point at the collection that should hold it
        break;
      }
      node = found = next;
    }
    return found;
  };
  const locate = (path: (string | number)[], atKey = false) => {
    const found = nodeAt(path, atKey);
    const offset = isNode(found) && found.range ? found.range[0] : 0;
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, col: pos.col };
  };
  const locateWord = (path: (string | number)[], word: string) => {
    const found = nodeAt(path);
    if (!isNode(found) || !found.range) return locate(path);
    const [start, end] = found.range;
    const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const m = new RegExp(`(?<![\\w.])${escaped}(?![\\w.])`).exec(text.slice(start, end));
    const pos = lineCounter.linePos(m ? start + m.index : start);
    return { line: pos.line, col: pos.col };
  };
  return {
    file,
    data: doc.toJS({ maxAliasCount: 100 }),
    locate,
    error(path, detail, atKey = false) {
      const { line, col } = locate(path, atKey);
      return new InputError(file, line, col, path.length ? path.join('.') : '(root)', detail);
    },
    errorAtWord(path, word, detail) {
      const { line, col } = locateWord(path, word);
      return new InputError(file, line, col, path.length ? path.join('.') : '(root)', detail);
    },
  };
}

export function readYaml(file: string): YamlSource {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(file, 1, 1, '(file)', `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return parseYaml(file, text);
}
