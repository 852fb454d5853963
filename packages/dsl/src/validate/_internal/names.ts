/** Template, step, task and containerSet container names (Argo's `isValidWorkflowFieldName`). */
export const NODE_NAME_PATTERN = /^[a-zA-Z0-9][-a-zA-Z0-9]*$/;
export const NODE_NAME_MAX = 128;
/** Parameter and artifact names (Argo's `isValidParamOrArtifactName`). */
export const PARAM_NAME_PATTERN = /^[-a-zA-Z0-9_]+$/;

/** Why a node name is invalid, or undefined when it is fine. */
export function nodeNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || name === '') return 'a non-empty name';
  if (name.length > NODE_NAME_MAX) return `at most ${NODE_NAME_MAX} characters (received ${name.length})`;
  if (!NODE_NAME_PATTERN.test(name)) return 'letters, digits and "-", starting with a letter or digit';
  return undefined;
}

/**
 * A step or task name as Argo checks it: after `ProcessArgs` replaced the template's input parameters and the
 * global variables with placeholders (validateSteps / validateDAG run on the substituted template), so
 * `name: "{{inputs.parameters.step}}"` is valid.
 */
export function substitutedNodeName(name: unknown): unknown {
  if (typeof name !== 'string') return name;
  return name.replace(/\{\{\s*(?:inputs\.parameters|workflow)\.[^{}]*\}\}/g, 'placeholder');
}
