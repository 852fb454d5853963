import type { TemplateEntry, WorkflowContext } from '../_internal/context.js';
import { arrayAt, isObject, objectAt, show } from '../_internal/json.js';
import { nodeNameProblem } from '../_internal/names.js';

/** containerSet: ≥ 1 container, valid unique names, dependencies exist, a "main" container for artifacts/outputs. */
export function containerSet(ctx: WorkflowContext, { template, path }: TemplateEntry): void {
  const set = objectAt(template, 'containerSet');
  if (!set) return;
  const name = show(template['name']);
  const containers = arrayAt(set, 'containers');
  const base = [...path, 'containerSet'];
  if (containers.length === 0) {
    ctx.reporter.report({
      code: 'ARG058',
      path: [...base, 'containers'],
      message: `template ${name}: containerSet needs at least one container, received none`,
      hint: 'add containers: [{ name: main, image: … }]',
    });
    return;
  }
  const names = new Set<string>();
  containers.forEach((c, i) => {
    const n = isObject(c) ? c['name'] : undefined;
    const problem = nodeNameProblem(n);
    if (problem) {
      ctx.reporter.report({
        code: 'ARG014',
        path: [...base, 'containers', i, 'name'],
        message: `template ${name}: containerSet container name must be ${problem}, received ${show(n)}`,
        hint: 'container names match ^[a-zA-Z0-9][-a-zA-Z0-9]*$',
      });
    } else if (typeof n === 'string' && names.has(n)) {
      ctx.reporter.report({
        code: 'ARG015',
        path: [...base, 'containers', i, 'name'],
        message: `template ${name}: containerSet container names must be unique, received "${n}" twice`,
        hint: 'rename one of the containers',
      });
    }
    if (typeof n === 'string') names.add(n);
  });
  containers.forEach((c, i) => {
    arrayAt(c, 'dependencies').forEach((dep, j) => {
      if (typeof dep === 'string' && names.has(dep)) return;
      ctx.reporter.report({
        code: 'ARG058',
        path: [...base, 'containers', i, 'dependencies', j],
        message: `template ${name}: containerSet dependency ${show(dep)} must name a container of the set, received an unknown name`,
        hint: `containers: ${[...names].map((x) => `"${x}"`).join(', ')}`,
      });
    });
  });
  const inputs = arrayAt(objectAt(template, 'inputs'), 'artifacts').length > 0;
  const out = objectAt(template, 'outputs');
  const outputs = arrayAt(out, 'artifacts').length > 0 || arrayAt(out, 'parameters').length > 0;
  if ((inputs || outputs) && !names.has('main')) {
    ctx.reporter.report({
      code: 'ARG058',
      path: [...base, 'containers'],
      message: `template ${name}: a containerSet with ${inputs ? 'input artifacts' : 'outputs'} needs a container named "main", received ${[...names].map((x) => `"${x}"`).join(', ')}`,
      hint: 'name the container that reads the inputs and writes the outputs "main"',
    });
  }
}
