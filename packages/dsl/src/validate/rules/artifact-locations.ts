import type { TemplateEntry, WorkflowContext } from '../_internal/context.js';
import { arrayAt, has, isObject, objectAt, show, stringAt } from '../_internal/json.js';
import { PARAM_NAME_PATTERN } from '../_internal/names.js';

/**
 * validate.go `validateInputs`, `validateArtifactLocation`, `validateLeaf` (resource) and `validateOutputs`:
 * an input artifact cannot take `from` (only arguments do); a git artifact needs its repo; a resource's
 * `manifestFrom.artifact` names one of the template's input artifacts; a `globalName` that is not a
 * `{{parameter}}` follows the parameter-name rule.
 */
export function artifactLocations(ctx: WorkflowContext, { template, path }: TemplateEntry): void {
  const name = show(template['name']);
  const inputArtifacts = arrayAt(objectAt(template, 'inputs'), 'artifacts');
  inputArtifacts.forEach((artifact, i) => {
    if (!isObject(artifact)) return;
    const at = [...path, 'inputs', 'artifacts', i];
    if (typeof artifact['from'] === 'string' && artifact['from'] !== '') {
      ctx.reporter.report({
        code: 'ARG049',
        path: [...at, 'from'],
        message: `template ${name}: input artifact ${show(artifact['name'])} cannot take from (only arguments of a step or task do), received ${show(artifact['from'])}`,
        hint: 'pass the artifact where the template is called: arguments.artifacts[].from',
      });
    }
    checkGitRepo(ctx, artifact, at, `template ${name}: input artifact ${show(artifact['name'])}`);
  });
  const archive = objectAt(template, 'archiveLocation');
  if (archive) checkGitRepo(ctx, archive, [...path, 'archiveLocation'], `template ${name}: archiveLocation`);
  const wanted = stringAt(objectAt(objectAt(template, 'resource'), 'manifestFrom'), 'artifact') ?? stringAt(objectAt(objectAt(objectAt(template, 'resource'), 'manifestFrom'), 'artifact'), 'name');
  // Argo checks this after "exactly one of manifest and manifestFrom" (ARG051), which stops it when both are set.
  if (wanted !== undefined && !has(objectAt(template, 'resource'), 'manifest') && !wanted.includes('{{') && !inputArtifacts.some((a) => stringAt(a, 'name') === wanted)) {
    ctx.reporter.report({
      code: 'ARG053',
      path: [...path, 'resource', 'manifestFrom', 'artifact'],
      message: `template ${name}: resource.manifestFrom.artifact must name one of the template's input artifacts, received ${show(wanted)}`,
      hint: `declare it under inputs.artifacts (name: ${wanted}), or fix the name`,
    });
  }
  const outputs = objectAt(template, 'outputs');
  for (const list of ['parameters', 'artifacts'] as const) {
    arrayAt(outputs, list).forEach((output, i) => {
      const globalName = stringAt(output, 'globalName');
      if (globalName === undefined || globalName === '' || /^\{\{[-a-zA-Z0-9]+(\.[-a-zA-Z0-9_]+)*\}\}$/.test(globalName) || PARAM_NAME_PATTERN.test(globalName)) return;
      ctx.reporter.report({
        code: 'ARG059',
        path: [...path, 'outputs', list, i, 'globalName'],
        message: `template ${name}: output ${show(stringAt(output, 'name'))} globalName must be letters, digits, "-" and "_", received ${show(globalName)}`,
        hint: 'globalName becomes workflow.outputs.… and follows the parameter-name rule ^[-a-zA-Z0-9_]+$',
      });
    });
  }
}

function checkGitRepo(ctx: WorkflowContext, location: Record<string, unknown>, at: readonly (string | number)[], what: string): void {
  const git = objectAt(location, 'git');
  if (!git || (has(git, 'repo') && git['repo'] !== '')) return;
  ctx.reporter.report({
    code: 'ARG095',
    path: [...at, 'git', 'repo'],
    message: `${what}: git.repo is required, received none`,
    hint: 'give the repository URL, e.g. repo: https://github.com/acme/shop.git',
  });
}
