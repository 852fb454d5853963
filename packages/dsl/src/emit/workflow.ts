import type { SourceRef } from '../_internal/source.js';
import type { Diagnostic } from '../diagnostic.js';
import type { WorkflowResourceIR, WorkflowSpecIR } from '../ir/resource.js';
import { type EmitContext, emitContext } from './context.js';
import { renderData } from './render.js';
import { emitHooksAndExit, placeTemplate } from './template.js';

type Obj = Record<string, unknown>;

/** An emitted object with where its parts were authored and what went wrong. */
export interface EmittedResource {
  readonly object: Obj;
  /** Emitted path (`spec.templates[1].dag.tasks[0]`) → the builder call that made it. */
  readonly locations: ReadonlyMap<string, SourceRef>;
  readonly diagnostics: readonly Diagnostic[];
}

function emitSpec(ctx: EmitContext, spec: WorkflowSpecIR): Obj {
  const out: Obj = {};
  if (spec.workflowTemplateRef) {
    out['workflowTemplateRef'] = { name: spec.workflowTemplateRef.name, ...(spec.workflowTemplateRef.clusterScope ? { clusterScope: true } : {}) };
  }
  if (spec.entrypoint) out['entrypoint'] = placeTemplate(ctx, spec.entrypoint, spec.entrypoint.name ?? 'main');
  for (const t of spec.templates) placeTemplate(ctx, t, t.name ?? 'main');
  if (spec.parameters.length) {
    out['arguments'] = {
      parameters: spec.parameters.map(({ name, spec: p, value }) => {
        const o: Obj = { name };
        if (value !== undefined) o['value'] = value;
        else if (p.default !== undefined) o['value'] = p.default;
        if (p.enum) o['enum'] = [...p.enum];
        if (p.description !== undefined) o['description'] = p.description;
        return o;
      }),
    };
  }
  Object.assign(out, renderData(spec.fields) as Obj);
  const hooks = emitHooksAndExit(ctx, { ...(spec.onExit ? { onExit: spec.onExit } : {}), ...(spec.hooks ? { hooks: spec.hooks } : {}) }, 'exit-handler');
  Object.assign(out, hooks);
  if (ctx.templates.length) out['templates'] = ctx.templates;
  return out;
}

/** Emits one Argo Workflows object from its IR. Pure: the same IR always gives the same object. */
export function emitWorkflowResource(ir: WorkflowResourceIR): EmittedResource {
  const isCron = ir.apiKind === 'CronWorkflow';
  const ctx = emitContext(isCron ? 'spec.workflowSpec.templates' : 'spec.templates');
  ctx.locations.set('', ir.source);
  const metadata: Obj = {};
  if (ir.name !== undefined) metadata['name'] = ir.name;
  if (ir.generateName !== undefined) metadata['generateName'] = ir.generateName;
  Object.assign(metadata, renderData(ir.metadata) as Obj);
  const workflowSpec = emitSpec(ctx, ir.spec);
  const spec = isCron ? { ...(renderData(ir.cron ?? {}) as Obj), workflowSpec } : workflowSpec;
  const object: Obj = { apiVersion: 'argoproj.io/v1alpha1', kind: ir.apiKind, metadata, spec };
  return { object, locations: ctx.locations, diagnostics: ctx.diagnostics };
}
