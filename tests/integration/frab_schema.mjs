// Validates frab/c3voc schedule.json documents against the upstream JSON
// Schema (draft-06) with ajv, the way the tests and `node frab_schema.mjs
// SCHEMA FILE` use it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const require = createRequire(import.meta.url);

/** A validate(document) → {valid, errors} function for the schema file at `schemaPath`. */
export function frabJsonValidator(schemaPath) {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
  addFormats(ajv);
  ajv.addFormat('color', /^#[0-9a-fA-F]{6}$/);  // used by the schema, not defined by ajv-formats
  const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
  return (doc) => ({ valid: validate(doc), errors: validate.errors || [] });
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const { valid, errors } = frabJsonValidator(process.argv[2])(JSON.parse(readFileSync(process.argv[3], 'utf8')));
  console.log(valid ? 'valid' : JSON.stringify(errors.slice(0, 10), null, 1));
  process.exit(valid ? 0 : 1);
}
