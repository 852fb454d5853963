import type { TemplateEntry, WorkflowContext } from '../_internal/context.js';
import { arrayAt, has, isObject, objectAt, show, stringAt } from '../_internal/json.js';
import { checkNamedList } from '../_internal/parameters.js';
import { templateTypeOf, type TemplateType } from '../_internal/template-kind.js';

const SOURCES = ['path', 'jqFilter', 'jsonPath', 'parameter', 'expression', 'supplied'];

function required(type: TemplateType): { readonly keys: readonly string[]; readonly text: string } | undefined {
  switch (type) {
    case 'container': case 'script': case 'containerSet':
      return { keys: ['path'], text: 'path' };
    case 'resource':
      return { keys: ['jqFilter', 'jsonPath'], text: 'jqFilter or jsonPath' };
    case 'dag': case 'steps':
      return { keys: ['parameter', 'expression'], text: 'parameter or expression' };
    default:
      return undefined;
  }
}

/** Output parameters: value xor valueFrom; valueFrom has one source, the one the template type supports. */
export function outputs(ctx: WorkflowContext, { template, path }: TemplateEntry): void {
  const out = objectAt(template, 'outputs');
  if (!out) return;
  const name = show(template['name']);
  const type = templateTypeOf(template);
  checkNamedList(ctx, arrayAt(out, 'parameters'), [...path, 'outputs', 'parameters'], 'output parameter');
  checkNamedList(ctx, arrayAt(out, 'artifacts'), [...path, 'outputs', 'artifacts'], 'output artifact');
  arrayAt(out, 'parameters').forEach((param, i) => {
    if (!isObject(param)) return;
    const p = [...path, 'outputs', 'parameters', i];
    const paramName = show(param['name']);
    const valueFrom = objectAt(param, 'valueFrom');
    const value = has(param, 'value');
    if (value === Boolean(valueFrom)) {
      ctx.reporter.report({
        code: 'ARG055',
        path: p,
        message: `template ${name}: output parameter ${paramName} needs exactly one of value and valueFrom, received ${value ? 'both' : 'neither'}`,
        hint: 'read it with valueFrom (path, jsonPath, parameter, expression …) or set a fixed value',
      });
    }
    if (!valueFrom) return;
    const given = SOURCES.filter((k) => has(valueFrom, k));
    if (given.length > 1) {
      ctx.reporter.report({
        code: 'ARG056',
        path: [...p, 'valueFrom'],
        message: `template ${name}: output parameter ${paramName} valueFrom needs exactly one source, received ${given.join(', ')}`,
        hint: `keep one of ${SOURCES.join(', ')}`,
      });
      return;
    }
    if (type === undefined) return;
    const need = required(type);
    if (!need || need.keys.some((k) => has(valueFrom, k)) || has(valueFrom, 'supplied')) return;
    ctx.reporter.report({
      code: 'ARG057',
      path: [...p, 'valueFrom'],
      message: `template ${name}: output parameter ${paramName} of a ${type} template needs valueFrom.${need.text}, received ${given.length ? `valueFrom.${given[0] ?? ''}` : 'none'}`,
      hint: type === 'dag' || type === 'steps'
        ? 'use parameter: "{{tasks.X.outputs.parameters.Y}}" (or steps.X…) or an expression'
        : type === 'resource' ? 'use jsonPath: "{.status.phase}" or a jqFilter' : 'use path: /tmp/output.txt (a file the container writes)',
    });
  });
  arrayAt(out, 'artifacts').forEach((artifact, i) => {
    if (!isObject(artifact) || type === undefined) return;
    if ((type === 'container' || type === 'script') && stringAt(artifact, 'path') === undefined) {
      ctx.reporter.report({
        code: 'ARG048',
        path: [...path, 'outputs', 'artifacts', i],
        message: `template ${name}: output artifact ${show(artifact['name'])} needs a path on a ${type} template, received none`,
        hint: 'set path: to the file or directory the container writes',
      });
    }
  });
}
