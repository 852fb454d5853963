import type { CommandDefinition, InputSpec } from './define-command.js';

/** A JSON Schema (draft 2020-12 subset) for a command's typed inputs, for docs, editors and validation. */
export interface InputsJsonSchema {
  readonly $schema: 'https://json-schema.org/draft/2020-12/schema';
  readonly title: string;
  readonly type: 'object';
  readonly additionalProperties: false;
  readonly required: readonly string[];
  readonly properties: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

function propertySchema(spec: InputSpec): Record<string, unknown> {
  const base: Record<string, unknown> = { description: spec.description };
  switch (spec.kind) {
    case 'string':
      return {
        ...base,
        type: 'string',
        ...(spec.enum ? { enum: [...spec.enum] } : {}),
        ...(spec.pattern ? { pattern: `^(?:${spec.pattern})$` } : {}),
      };
    case 'boolean':
      return { ...base, type: 'boolean' };
    case 'integer':
      return { ...base, type: 'integer' };
    case 'string-list':
      return { ...base, type: 'array', items: { type: 'string' } };
    case 'json':
      return base;
  }
}

export function inputsJsonSchema(command: CommandDefinition): InputsJsonSchema {
  const properties: Record<string, Record<string, unknown>> = {};
  const required: string[] = [];
  for (const [key, spec] of Object.entries(command.inputs)) {
    properties[key] = propertySchema(spec);
    if (spec.required) required.push(key);
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: `argots-runtime ${command.name}`,
    type: 'object',
    additionalProperties: false,
    required,
    properties,
  };
}
