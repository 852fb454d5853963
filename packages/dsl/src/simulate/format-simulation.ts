/**
 * Renders a {@link SimulationResult} for people:
 * ```
 * Sensor "shop-api-dev": 1 of 1 trigger fires
 *   ✔ dependency "push" matched
 *   ▶ trigger "submit" fires
 *       revision = "0000000000000000000000000000000000000000"
 * Sensor "shop-api-release": 0 of 1 trigger fires
 *   ✘ dependency "pr" rejected: data filter #2 at "body.pull_request.merged": false (as bool: false) is not ["true"]
 *   · trigger "submit" waits: not satisfied; dependencies without a matching event: pr
 * ```
 */
import type { FilterFailure } from './filter-event.js';
import type { SimulationResult } from './simulation-result.js';

function describeFailure(f: FilterFailure): string {
  if (f.kind === 'route') return f.reason;
  const which = f.index !== undefined ? `${f.kind === 'data' ? 'data' : 'expr'} filter #${f.index + 1}` : `${f.kind} filter`;
  const at = f.path !== undefined && f.kind !== 'context' ? ` at "${f.path}"` : '';
  const outcome = f.outcome === 'error' ? ' (error)' : f.outcome === 'unsupported' ? ' (not supported by simulate)' : '';
  return `${which}${at}${outcome}: ${f.reason}`;
}

export interface FormatSimulationOptions {
  /** Also show the resolved resource of each firing trigger as JSON. */
  readonly verbose?: boolean;
}

/** Formats a simulation result as text, one block per Sensor. */
export function formatSimulation(result: SimulationResult, options: FormatSimulationOptions = {}): string {
  const lines: string[] = [`Delivery: ${result.delivery.eventType} at ${result.delivery.time}`];
  for (const sensor of result.sensors) {
    const firing = sensor.triggers.filter((t) => t.status === 'fires').length;
    const n = sensor.triggers.length;
    lines.push(`Sensor "${sensor.sensor}": ${firing} of ${n} trigger${n === 1 ? '' : 's'} fire${firing === 1 || n === 1 ? 's' : ''}`);
    for (const d of sensor.dependencies) {
      if (d.status === 'matched') lines.push(`  ✔ dependency "${d.name}" matched`);
      else {
        const mark = d.status === 'rejected' ? '✘' : d.status === 'unknown' ? '?' : '–';
        lines.push(`  ${mark} dependency "${d.name}" ${d.status}${d.failure ? `: ${describeFailure(d.failure)}` : ''}`);
        for (const extra of (d.failures ?? []).slice(1)) lines.push(`      also: ${describeFailure(extra)}`);
      }
    }
    for (const t of sensor.triggers) {
      const mark = t.status === 'fires' ? '▶' : t.status === 'fails' ? '✘' : t.status === 'unknown' ? '?' : '·';
      lines.push(`  ${mark} trigger "${t.name}" ${t.status}${t.reason ? `: ${t.reason}` : ''}`);
      if (t.status !== 'fires') continue;
      if (t.workflowParameters) {
        for (const [name, value] of Object.entries(t.workflowParameters)) lines.push(`      ${name} = ${JSON.stringify(value)}`);
      } else {
        for (const p of t.parameters) lines.push(`      ${p.dest || '(payload)'} = ${p.value === null ? '(skipped)' : JSON.stringify(p.value)}  ← ${p.origin}`);
      }
      if (options.verbose && t.resource !== undefined) lines.push(...JSON.stringify(t.resource, null, 2).split('\n').map((l) => `      ${l}`));
    }
  }
  return lines.join('\n');
}
