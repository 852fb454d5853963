import type { TemplateEntry, WorkflowContext } from '../_internal/context.js';
import { arrayAt, isObject, objectAt, show, stringAt } from '../_internal/json.js';

/** Prometheus' legacy metric-name rule without ':' (Argo's metrics.IsValidMetricName). */
const METRIC_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * validate.go `validateTemplate` → metrics: each `metrics.prometheus[]` has a valid name and label keys
 * (metrics.IsValidMetricName, ValidateMetricLabels), a help string, and the value its kind needs
 * (ValidateMetricValues: gauge/counter/histogram value; a realtime gauge cannot read resourcesDuration.*).
 */
export function metrics(ctx: WorkflowContext, { template, path }: TemplateEntry): void {
  const name = show(template['name']);
  arrayAt(objectAt(template, 'metrics'), 'prometheus').forEach((metric, i) => {
    if (!isObject(metric)) return;
    const at = [...path, 'metrics', 'prometheus', i];
    const metricName = stringAt(metric, 'name');
    if (metricName !== undefined && !METRIC_NAME.test(metricName)) {
      ctx.reporter.report({
        code: 'ARG093',
        path: [...at, 'name'],
        message: `template ${name}: metric name must contain only letters, digits and "_" (not starting with a digit), received ${show(metricName)}`,
        hint: 'Argo rejects this template ("metric name is invalid"); use snake_case, e.g. build_duration_seconds',
      });
    }
    arrayAt(metric, 'labels').forEach((label, j) => {
      const key = stringAt(label, 'key');
      if (key === undefined || METRIC_NAME.test(key)) return;
      ctx.reporter.report({
        code: 'ARG093',
        path: [...at, 'labels', j, 'key'],
        message: `template ${name}: metric ${show(metricName)} label key must contain only letters, digits and "_", received ${show(key)}`,
        hint: 'label keys follow the metric-name rule; values may be anything',
      });
    });
    if (metricName !== undefined && (stringAt(metric, 'help') ?? '') === '') {
      ctx.reporter.report({
        code: 'ARG094',
        path: [...at, 'help'],
        message: `template ${name}: metric ${show(metricName)} must contain a help string, received none`,
        hint: 'add help: "what the metric measures"',
      });
    }
    for (const kind of ['gauge', 'counter', 'histogram'] as const) {
      const spec = objectAt(metric, kind);
      if (!spec) continue;
      const value = stringAt(spec, 'value') ?? '';
      if (value === '') {
        ctx.reporter.report({
          code: 'ARG094',
          path: [...at, kind, 'value'],
          message: `template ${name}: metric ${show(metricName)} is missing ${kind}.value`,
          hint: `give the ${kind} a value, e.g. value: "{{duration}}"`,
        });
      } else if (kind === 'gauge' && spec['realtime'] === true && value.includes('resourcesDuration.')) {
        ctx.reporter.report({
          code: 'ARG094',
          path: [...at, kind, 'value'],
          message: `template ${name}: metric ${show(metricName)} is a realtime gauge, which cannot read 'resourcesDuration.*', received ${show(value)}`,
          hint: 'resourcesDuration is known only when the node ends: set realtime: false',
        });
      }
    }
  });
}
