import { parseAllDocuments } from 'yaml';

/** Every document of a YAML text as a plain value, or the first syntax error (with its line and column). */
export interface YamlDocuments {
  readonly values: readonly unknown[];
  readonly error?: { readonly message: string; readonly line?: number; readonly col?: number };
}

/**
 * Reads the documents of a YAML text (YAML 1.2, as the `yaml` library reads it) into plain values, stopping at
 * the first document with an error. `argots simulate` reads Sensor and EventSource files with it: through
 * `@argots/dsl`, whose bundle already holds the YAML parser, the CLI does not load a second copy of it (~45 ms
 * of a `simulate` process).
 */
export function readYamlDocuments(text: string): YamlDocuments {
  const values: unknown[] = [];
  for (const doc of parseAllDocuments(text)) {
    const error = doc.errors[0];
    if (error) {
      const at = error.linePos?.[0];
      return { values, error: { message: error.message, ...(at ? { line: at.line, col: at.col } : {}) } };
    }
    values.push(doc.toJS());
  }
  return { values };
}
