import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { DEFAULT_BRANCH_POLICY, parseBranchPolicy } from '@argots/contract';
import type { BranchPolicy } from '@argots/contract';
import { RuntimeError } from '../runtime-error.js';

/**
 * Reads a branch policy file (YAML or JSON; every key optional, defaults from `DEFAULT_BRANCH_POLICY`).
 * No file: the default policy. Every problem in the file is reported at once.
 */
export async function loadBranchPolicy(file: string | undefined, cwd: string = process.cwd()): Promise<BranchPolicy> {
  if (file === undefined) return DEFAULT_BRANCH_POLICY;
  let text: string;
  try {
    text = await readFile(resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new RuntimeError('RUN380', `branch policy "${file}" could not be read: ${(error as Error).message}`, {
      hint: 'check the path (relative paths are read from the working directory)',
      cause: error,
    });
  }
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new RuntimeError('RUN381', `branch policy "${file}": expected YAML or JSON, received text that does not parse: ${(error as Error).message}`, {
      hint: 'fix the syntax at the line and column above; the file holds one map with optional "branches" and "environments" maps, e.g. branches: { release: "release/*" }',
      cause: error,
    });
  }
  const parsed = parseBranchPolicy(document);
  if (!parsed.ok) {
    throw new RuntimeError('RUN382', `branch policy "${file}": ${parsed.problems.map((p) => `${p.path} expected ${p.expected}, received ${p.received}`).join('; ')}`, {
      hint: 'keys: branches.{dev,master,feature,release,bugfix,hotfix} (names or globs), environments.{dev,staging,production}',
    });
  }
  return parsed.policy;
}
