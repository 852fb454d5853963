import type { SimulationResult } from '@argots/dsl';
import { didYouMean } from './did-you-mean.js';
import { UserError } from './user-error.js';

/** What `--expect` names: a Sensor, a trigger, or the WorkflowTemplate a trigger submits. */
function namesOf(result: SimulationResult): Map<string, boolean> {
  const started = new Map<string, boolean>();
  const mark = (name: string | undefined, fires: boolean): void => {
    if (name) started.set(name, (started.get(name) ?? false) || fires);
  };
  for (const s of result.sensors) {
    mark(s.sensor, s.triggers.some((t) => t.status === 'fires'));
    for (const t of s.triggers) {
      const fires = t.status === 'fires';
      mark(t.name, fires);
      const spec = (t.resource as { spec?: { workflowTemplateRef?: { name?: unknown } } } | undefined)?.spec;
      const template = spec?.workflowTemplateRef?.name;
      mark(typeof template === 'string' ? template : undefined, fires);
    }
  }
  return started;
}

/**
 * `simulate --expect a,b`: the names (Sensors, triggers or submitted WorkflowTemplates) that must start for
 * this delivery. Returns those that would not; an unknown name is a user error listing the known ones.
 */
export function unmetExpectations(result: SimulationResult, expect: string): string[] {
  const wanted = expect.split(',').map((n) => n.trim()).filter((n) => n !== '');
  if (wanted.length === 0) throw new UserError('argots simulate: --expect needs at least one name', 'name the pipelines that must start, e.g. --expect shop-api-dev');
  const known = namesOf(result);
  const unknown = wanted.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    const near = didYouMean(unknown[0]!, [...known.keys()]);
    throw new UserError(
      `argots simulate: --expect names ${unknown.map((n) => `"${n}"`).join(', ')}, which is no Sensor, trigger or submitted WorkflowTemplate of the inputs${near ? ` (did you mean "${near}"?)` : ''}`,
      `known names: ${[...known.keys()].sort().join(', ')}`,
    );
  }
  return wanted.filter((n) => known.get(n) !== true);
}

/** `--type` must be an event GitHub sends (the X-GitHub-Event header); a typo would simulate nothing. */
export function checkEventType(type: string, known: ReadonlySet<string>): void {
  if (known.has(type)) return;
  const near = didYouMean(type, [...known]);
  throw new UserError(
    `argots simulate: --type "${type}" is not an event GitHub sends${near ? ` (did you mean "${near}"?)` : ''}`,
    "pass the delivery's X-GitHub-Event header: push, pull_request, create, release, …",
  );
}
