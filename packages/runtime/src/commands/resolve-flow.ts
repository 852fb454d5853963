import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { decideFlow, resolveFlow as command } from '@argots/contract';
import { defineHandler } from '../command-handler.js';
import { loadBranchPolicy } from '../flows/load-branch-policy.js';
import { RuntimeError } from '../runtime-error.js';

/** `argots-runtime resolve-flow --event-type push --payload event.json [--policy policy.yaml]`. */
export default defineHandler(command, async (inputs, ctx) => {
  const policy = await loadBranchPolicy(inputs.policy, ctx.cwd);
  let text: string;
  try {
    text = await readFile(resolve(ctx.cwd, inputs.payload), 'utf8');
  } catch (error) {
    throw new RuntimeError('RUN383', `webhook payload "${inputs.payload}" could not be read: ${(error as Error).message}`, {
      hint: 'pass the path of the event body the Sensor wrote (relative paths are read from the working directory)',
      cause: error,
    });
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (error) {
    throw new RuntimeError('RUN384', `webhook payload "${inputs.payload}": expected JSON, received text that does not parse`, {
      hint: 'pass the webhook body exactly as GitHub sent it (the Sensor\'s body, not the headers or the whole event); check the file with: jq . <file>',
      cause: error,
    });
  }
  const d = decideFlow({ type: inputs.eventType, payload }, policy);
  ctx.log(`${d.flow}: ${d.reason}`);
  return {
    outputs: { flow: d.flow, environment: d.environment ?? '', reason: d.reason, source: d.source ?? '', target: d.target ?? '', commit: d.commit ?? '' },
    ...(d.repository ? { details: { repository: d.repository } } : {}),
  };
});
