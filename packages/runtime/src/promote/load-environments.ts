/** Loads the environments configuration (YAML) for promotion, reporting every problem at once. */
import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { validateEnvironments, type EnvironmentsConfig } from '@argots/contract';
import { RuntimeError } from '../runtime-error.js';

/** Where the configuration is looked for when no path is given. */
export const DEFAULT_ENVIRONMENTS_PATH = '/etc/argots/environments.yaml';

/**
 * Reads and checks `path`:
 *
 * ```yaml
 * environments:
 *   dev:     { registry: registry.dev.acme.io, repository: shop }
 *   staging: { registry: registry.staging.acme.io, repository: shop }
 *   prod:    { registry: registry.acme.io, repository: shop, auth: { kind: access-token, tokenEnv: GAR_TOKEN } }
 *   virtual: { registry: registry.acme.io, repository: all, readOnly: true }
 * ```
 */
export async function loadEnvironments(path: string): Promise<EnvironmentsConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new RuntimeError('RUN530', `environments file "${path}" could not be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      hint: `pass --environments <file>, set ARGOTS_ENVIRONMENTS, or mount the file at ${DEFAULT_ENVIRONMENTS_PATH}`,
    });
  }
  return parseEnvironments(text, path);
}

/** Parses and checks the YAML text of an environments configuration. */
export function parseEnvironments(text: string, path = '<environments>'): EnvironmentsConfig {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const where = e?.linePos?.[0] ? `:${e.linePos[0].line}:${e.linePos[0].col}` : '';
    throw new RuntimeError('RUN531', `environments file "${path}${where}" is not valid YAML: ${e?.message.split('\n')[0] ?? ''}`, {
      hint: 'fix the YAML at that line and column (see the environments.yaml example in the @argots/runtime README)',
    });
  }
  const result = validateEnvironments(doc.toJS());
  if (!result.ok) {
    const list = result.problems.map((p) => `  ✖ ${p.message}\n    → at ${p.path}`).join('\n');
    throw new RuntimeError('RUN531', `environments file "${path}" has ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}:\n${list}`, {
      hint: 'each environment needs a "registry" (host[:port]) and a "repository" prefix; see packages/runtime/README.md',
    });
  }
  return result.environments;
}
