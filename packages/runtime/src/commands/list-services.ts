import { listServices as command } from '@argots/contract';
import { defineHandler } from '../command-handler.js';
import { loadChangeRules } from '../detect/change-rules.js';
import { RuntimeError } from '../runtime-error.js';

/** `argots-runtime list-services --repo /workspace/src`: the services of the change rules, as a JSON list. */
export default defineHandler(command, async (inputs) => {
  const rules = loadChangeRules(inputs.repo, inputs.rules);
  const services = rules.services.map((s) => s.name);
  if (services.length === 0) {
    throw new RuntimeError('RUN803', `the change rules of "${inputs.repo}" (${rules.source}) declare no services, so there is nothing to promote`, {
      hint: 'list the services in .argots/changes.yaml, e.g. services: { shop-api: services/shop-api }',
    });
  }
  return { outputs: { services: JSON.stringify(services) } };
});
