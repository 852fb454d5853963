import type { WorkflowContext } from './context.js';
import { arrayAt, has, isObject, objectAt, show, stringAt, type JsonObject, type JsonPath } from './json.js';
import { PARAM_NAME_PATTERN } from './names.js';

const ARGUMENT_VALUE_FROM = ['configMapKeyRef', 'event', 'supplied', 'default'];
const ARTIFACT_LOCATIONS = ['s3', 'git', 'http', 'artifactory', 'hdfs', 'raw', 'oss', 'gcs', 'azure', 'plugin', 'key'];

/** Parameter / artifact names match ^[-a-zA-Z0-9_]+$ and are unique within their list. */
export function checkNamedList(ctx: WorkflowContext, list: readonly unknown[], path: JsonPath, what: string): void {
  const seen = new Set<string>();
  list.forEach((item, i) => {
    const name = isObject(item) ? item['name'] : undefined;
    if (typeof name !== 'string' || !PARAM_NAME_PATTERN.test(name)) {
      ctx.reporter.report({
        code: 'ARG016',
        path: [...path, i, 'name'],
        message: `${what} ${show(name)}: name must be letters, digits, "-" and "_", received ${show(name)}`,
        hint: 'parameter and artifact names match ^[-a-zA-Z0-9_]+$',
      });
      return;
    }
    if (seen.has(name)) {
      ctx.reporter.report({
        code: 'ARG017',
        path: [...path, i, 'name'],
        message: `${what} "${name}": names must be unique, received "${name}" twice`,
        hint: `rename or remove the second ${what} "${name}"`,
      });
    }
    seen.add(name);
  });
}

function isTemplated(value: unknown): boolean {
  return typeof value === 'string' && value.includes('{{');
}

/** `enum` is non-empty and contains the value (or default). */
export function checkEnum(ctx: WorkflowContext, param: JsonObject, path: JsonPath, what: string): void {
  const values = param['enum'];
  if (!Array.isArray(values)) return;
  const name = stringAt(param, 'name') ?? '';
  if (values.length === 0) {
    ctx.reporter.report({
      code: 'ARG024',
      path: [...path, 'enum'],
      message: `${what} "${name}": enum must contain at least one value, received an empty list`,
      hint: 'list the allowed values, or remove enum',
    });
    return;
  }
  for (const key of ['value', 'default']) {
    const value = param[key];
    if (value === undefined || value === null || isTemplated(value)) continue;
    if (!values.some((v) => String(v) === String(value))) {
      ctx.reporter.report({
        code: 'ARG024',
        path: [...path, key],
        message: `${what} "${name}": ${key} must be one of the enum ${show(values.map(String))}, received ${show(value)}`,
        hint: `use one of the enum values, or add ${show(value)} to the enum`,
      });
    }
  }
}

export interface ArgumentRules {
  /** Every parameter needs a value (step and task arguments; a Workflow's own arguments outside lint). */
  readonly requireValue: boolean;
  /** Words naming what holds the arguments, for messages: `step "build"`. */
  readonly subject: string;
}

/** `arguments`: names, values, valueFrom sources, enums and artifact sources. */
export function checkArguments(ctx: WorkflowContext, args: JsonObject | undefined, path: JsonPath, rules: ArgumentRules): void {
  if (!args) return;
  const params = arrayAt(args, 'parameters');
  const artifacts = arrayAt(args, 'artifacts');
  checkNamedList(ctx, params, [...path, 'parameters'], `${rules.subject} argument`);
  checkNamedList(ctx, artifacts, [...path, 'artifacts'], `${rules.subject} artifact`);
  params.forEach((param, i) => {
    if (!isObject(param)) return;
    const p = [...path, 'parameters', i];
    const name = stringAt(param, 'name') ?? '';
    const valueFrom = objectAt(param, 'valueFrom');
    if (rules.requireValue && !has(param, 'value') && !valueFrom) {
      ctx.reporter.report({
        code: 'ARG022',
        path: p,
        message: `${rules.subject} argument "${name}": expected a value, received none`,
        hint: `set value (for example value: "{{inputs.parameters.${name}}}"), or valueFrom`,
      });
    }
    if (valueFrom) {
      for (const key of Object.keys(valueFrom)) {
        if (valueFrom[key] === undefined || valueFrom[key] === null || ARGUMENT_VALUE_FROM.includes(key)) continue;
        ctx.reporter.report({
          code: 'ARG023',
          path: [...p, 'valueFrom', key],
          message: `${rules.subject} argument "${name}": valueFrom must use one of ${ARGUMENT_VALUE_FROM.join(', ')}, received "${key}"`,
          hint: `"${key}" is only valid for output parameters; pass the value itself, or read it with configMapKeyRef`,
        });
      }
    }
    checkEnum(ctx, param, p, `${rules.subject} argument`);
  });
  artifacts.forEach((artifact, i) => {
    if (!isObject(artifact)) return;
    const name = stringAt(artifact, 'name') ?? '';
    const p = [...path, 'artifacts', i];
    const from = has(artifact, 'from');
    const fromExpression = has(artifact, 'fromExpression');
    const located = ARTIFACT_LOCATIONS.some((k) => has(artifact, k));
    if (from && fromExpression) {
      ctx.reporter.report({
        code: 'ARG025',
        path: p,
        message: `${rules.subject} artifact "${name}": expected either from or fromExpression, received both`,
        hint: 'keep one of from and fromExpression',
      });
    } else if (!from && !fromExpression && !located && artifact['optional'] !== true) {
      ctx.reporter.report({
        code: 'ARG025',
        path: p,
        message: `${rules.subject} artifact "${name}": expected from, fromExpression, an artifact location or a key, received none`,
        hint: 'pass the artifact with from: "{{steps.X.outputs.artifacts.Y}}" or give its location (s3, git, http, raw …)',
      });
    }
  });
}
