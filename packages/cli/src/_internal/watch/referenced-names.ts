/**
 * The names an emitted object refers to other resources by: `templateRef.name`, `workflowTemplateRef.name`
 * (a Workflow, a WorkflowTemplate, a Sensor's trigger) and a Sensor dependency's `eventSourceName`. Used by
 * `compile --watch` to validate again the modules that refer to one an edit changed.
 */
export function referencedNames(object: unknown): string[] {
  const out: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const v of value) visit(v);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    for (const [key, v] of Object.entries(value)) {
      if ((key === 'templateRef' || key === 'workflowTemplateRef') && typeof v === 'object' && v !== null) {
        const name = (v as Record<string, unknown>)['name'];
        if (typeof name === 'string') out.push(name);
      } else if (key === 'eventSourceName' && typeof v === 'string') out.push(v);
      visit(v);
    }
  };
  visit(object);
  return out;
}
