import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { decideFlow, DEFAULT_BRANCH_POLICY, parseBranchPolicy, resolveFlow as command } from '@argots/contract';
import type { BranchPolicy } from '@argots/contract';
import { defineHandler } from '../command-handler.js';
import { RuntimeError } from '../runtime-error.js';

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new RuntimeError('RUN380', `${what} "${path}" could not be read: ${(error as Error).message}`, { hint: 'check the path (relative paths are read from the working directory)', cause: error });
  }
}

/** `argots-runtime resolve-flow --event-type push --payload event.json [--policy policy.yaml]`. */
export default defineHandler(command, async (inputs, ctx) => {
  let policy: BranchPolicy = DEFAULT_BRANCH_POLICY;
  if (inputs.policy !== undefined) {
    const file = resolve(ctx.cwd, inputs.policy);
    let document: unknown;
    try {
      document = parse(await readText(file, 'branch policy'));
    } catch (error) {
      if (error instanceof RuntimeError) throw error;
      throw new RuntimeError('RUN381', `branch policy "${inputs.policy}": expected YAML or JSON, received text that does not parse: ${(error as Error).message}`, { cause: error });
    }
    const parsed = parseBranchPolicy(document);
    if (!parsed.ok) {
      throw new RuntimeError('RUN382', `branch policy "${inputs.policy}": ${parsed.problems.map((p) => `${p.path} expected ${p.expected}, received ${p.received}`).join('; ')}`, {
        hint: 'keys: branches.{dev,master,feature,release,bugfix,hotfix} (names or globs), environments.{dev,staging,production}',
      });
    }
    policy = parsed.policy;
  }
  const text = await readText(resolve(ctx.cwd, inputs.payload), 'webhook payload');
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (error) {
    throw new RuntimeError('RUN383', `webhook payload "${inputs.payload}": expected JSON, received text that does not parse`, { cause: error });
  }
  const d = decideFlow({ type: inputs.eventType, payload }, policy);
  ctx.log(`${d.flow}: ${d.reason}`);
  return {
    outputs: { flow: d.flow, environment: d.environment ?? '', reason: d.reason, source: d.source ?? '', target: d.target ?? '', commit: d.commit ?? '' },
    ...(d.repository ? { details: { repository: d.repository } } : {}),
  };
});
