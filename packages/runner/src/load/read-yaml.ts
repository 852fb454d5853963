import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { RunInputError } from './run-input-error.js';

/** Every object of a YAML file (multi-document); a syntax error names the file, line and column. */
export function readYamlObjects(file: string, shown: string = file): unknown[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new RunInputError('RUN100', `"${shown}" does not exist or cannot be read`, 'pass pipeline files (.ts) or Argo YAML files');
  }
  const out: unknown[] = [];
  for (const doc of parseAllDocuments(text)) {
    const error = doc.errors[0];
    if (error) {
      const at = error.linePos?.[0];
      throw new RunInputError('RUN100', `"${shown}"${at ? `:${at.line}:${at.col}` : ''} is not valid YAML: ${error.message.split('\n')[0]}`, 'fix the YAML, or run argots lint on it');
    }
    const value: unknown = doc.toJS();
    if (value !== null && typeof value === 'object') out.push(value);
  }
  return out;
}
