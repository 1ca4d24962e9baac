import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import type { YamlSource } from './yamlSource.js';

const schemaDir = fileURLToPath(new URL('../schema/', import.meta.url));
const ajv = new Ajv2020({ allErrors: false, strict: true, allowUnionTypes: true });
const compiled = new Map<string, ValidateFunction>();

export type SchemaName = 'op' | 'ring' | 'rules' | 'profile' | 'case' | 'fixtures';

function validator(name: SchemaName): ValidateFunction {
  let v = compiled.get(name);
  if (!v) {
    const schema = JSON.parse(readFileSync(`${schemaDir}${name}.schema.json`, 'utf8'));
    v = ajv.compile(schema);
    compiled.set(name, v);
  }
  return v;
}

function describe(err: ErrorObject): { path: (string | number)[]; detail: string; atKey?: boolean } {
  const path = err.instancePath.split('/').slice(1).map((p) => (/^\d+$/.test(p) ? Number(p) : p.replace(/~1/g, '/').replace(/~0/g, '~')));
  const p = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case 'additionalProperties':
      return { path: [...path, String(p.additionalProperty)], detail: `unknown field "${String(p.additionalProperty)}"`, atKey: true };
    case 'required':
      return { path, detail: `missing required field "${String(p.missingProperty)}"` };
    case 'enum':
      return { path, detail: `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    default:
      return { path, detail: err.message ?? err.keyword };
  }
}

/** Validates parsed YAML against a schema in spec/schema; throws an InputError naming file:line:col and field. */
export function schemaCheck(src: YamlSource, name: SchemaName): void {
  const v = validator(name);
  if (v(src.data)) return;
  const err = v.errors![0]!;
  const { path, detail, atKey } = describe(err);
  throw src.error(path, detail, atKey);
}
