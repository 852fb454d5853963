import type { WorkflowContext } from './context.js';
import { arrayAt, isObject, objectAt, show, type JsonObject, type JsonPath } from './json.js';
import { templateTypeOf } from './template-kind.js';

/** Something that calls a template: a step, a DAG task, or a lifecycle hook. */
export interface Holder {
  readonly kind: 'step' | 'task' | 'hook';
  readonly holder: JsonObject;
  readonly path: JsonPath;
  /** For messages: `step "build"` / `hook "running"`. */
  readonly label: string;
  /** The template that contains it (undefined for workflow-level hooks). */
  readonly owner: JsonObject | undefined;
}

function hooksOf(holder: JsonObject, path: JsonPath, owner: JsonObject | undefined, out: Holder[]): void {
  const hooks = objectAt(holder, 'hooks');
  if (!hooks) return;
  for (const [name, hook] of Object.entries(hooks)) {
    if (isObject(hook)) out.push({ kind: 'hook', holder: hook, path: [...path, 'hooks', name], label: `hook "${name}"`, owner });
  }
}

/** Every step, task and hook of the object, in document order. */
export function holdersOf(ctx: WorkflowContext): Holder[] {
  const out: Holder[] = [];
  hooksOf(ctx.spec, ctx.specPath, undefined, out);
  for (const { template, path } of ctx.templates) {
    const type = templateTypeOf(template);
    if (type === 'steps') {
      arrayAt(template, 'steps').forEach((group, g) => {
        const steps = Array.isArray(group) ? group : arrayAt(group, 'steps');
        steps.forEach((step, s) => {
          if (!isObject(step)) return;
          const p = [...path, 'steps', g, s];
          out.push({ kind: 'step', holder: step, path: p, label: `step ${show(step['name'])}`, owner: template });
          hooksOf(step, p, template, out);
        });
      });
    } else if (type === 'dag') {
      arrayAt(objectAt(template, 'dag'), 'tasks').forEach((task, t) => {
        if (!isObject(task)) return;
        const p = [...path, 'dag', 'tasks', t];
        out.push({ kind: 'task', holder: task, path: p, label: `task ${show(task['name'])}`, owner: template });
        hooksOf(task, p, template, out);
      });
    }
  }
  return out;
}
