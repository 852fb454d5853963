/**
 * The upstream Argo Events JSON schema (test/schemas/argo-events.schema.json), compiled the way its own
 * tests tolerate it: nested `required` treated as advisory (see SOURCE.md, "known imperfections").
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';

const path = new URL('../../../../test/schemas/argo-events.schema.json', import.meta.url);

function stripRequired(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripRequired);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'required' && Array.isArray(v)) continue;
    out[k] = stripRequired(v);
  }
  return out;
}

let validate: ValidateFunction | undefined;

/** Validates one object against the upstream schema; returns ajv's errors as readable lines. */
export function upstreamErrors(object: unknown): string[] {
  if (!validate) {
    const schema = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    delete schema['$schema'];
    delete schema['$id'];
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    ajv.addSchema(stripRequired(schema) as object, 'events');
    validate = ajv.compile({ $ref: 'events#' });
  }
  if (validate(JSON.parse(JSON.stringify(object)))) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}
