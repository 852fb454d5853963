/**
 * Test support: runs ONE compiled container template the way a pod would, with the real `argots-runtime`
 * binary (runtime steps) or bash (shell steps): `{{inputs.parameters.x}}` substituted from the given
 * arguments (defaults applied), the container's env built from its literal values and `secretKeyRef` /
 * `configMapKeyRef`s (looked up in the test's Secrets and ConfigMaps — a reference to one the test did not
 * give fails, as a pod would not start), and volume mount paths mapped onto local folders. Output
 * parameters are read from the files the template names. This is what `argots run` will do for a whole
 * workflow; here one step at a time.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_OUTPUT_DIR } from '@argots/contract';

const run = promisify(execFile);
const ROOT = new URL('../..', import.meta.url).pathname;
const RUNTIME_BIN = join(ROOT, 'packages/runtime/src/bin.ts');

type Obj = Record<string, unknown>;
interface EnvVar { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } } }
interface Param { name: string; default?: string; value?: string; valueFrom?: { path?: string } }
export interface ContainerTemplate {
  name: string;
  inputs?: { parameters?: Param[] };
  outputs?: { parameters?: Param[] };
  container?: { image: string; command?: string[]; args?: string[]; env?: EnvVar[]; volumeMounts?: { name: string; mountPath: string }[] };
  script?: unknown;
}

export interface StepWorld {
  /** Secrets by name, key → value. */
  readonly secrets?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly configMaps?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Mount path in the pod → local folder (e.g. `/workspace` → a temp folder). Longest prefix wins. */
  readonly mounts?: Readonly<Record<string, string>>;
  /** Environment of the process besides the template's (PATH, HOME; nothing secret). */
  readonly baseEnv?: Readonly<Record<string, string>>;
}

export interface StepRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Record<string, string>;
  /** The env the step got (values), for assertions on what reached it. */
  readonly env: Record<string, string>;
  readonly argv: string[];
}

/** The named template of a compiled WorkflowTemplate / Workflow. */
export function templateOf(workflow: Obj, name: string): ContainerTemplate {
  const templates = ((workflow['spec'] as Obj)['templates'] as ContainerTemplate[]) ?? [];
  const t = templates.find((x) => x.name === name);
  if (!t) throw new Error(`no template "${name}" in ${String((workflow['metadata'] as Obj)['name'])}; it has ${templates.map((x) => x.name).join(', ')}`);
  return t;
}

function mapPath(value: string, mounts: Readonly<Record<string, string>>): string {
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  for (const p of prefixes) {
    if (value === p || value.startsWith(`${p}/`)) return `${mounts[p]}${value.slice(p.length)}`;
  }
  return value;
}

export async function runTemplate(template: ContainerTemplate, args: Readonly<Record<string, string>>, world: StepWorld = {}): Promise<StepRun> {
  const c = template.container;
  if (!c) throw new Error(`template "${template.name}" is not a container template`);
  const params = new Map<string, string>();
  for (const p of template.inputs?.parameters ?? []) {
    const v = args[p.name] ?? p.default ?? p.value;
    if (v === undefined) throw new Error(`template "${template.name}": inputs.parameters.${p.name} was not supplied`);
    params.set(p.name, v);
  }
  for (const k of Object.keys(args)) if (!params.has(k)) throw new Error(`template "${template.name}" has no input "${k}"`);
  const mounts = world.mounts ?? {};
  const substitute = (text: string): string =>
    mapPath(text.replace(/\{\{inputs\.parameters\.([^{}]+)\}\}/g, (_, n: string) => {
      const v = params.get(n);
      if (v === undefined) throw new Error(`unresolved {{inputs.parameters.${n}}}`);
      return v;
    }), mounts);
  const env: Record<string, string> = {};
  for (const e of c.env ?? []) {
    if (e.value !== undefined) env[e.name] = substitute(e.value);
    const ref = e.valueFrom?.secretKeyRef ?? e.valueFrom?.configMapKeyRef;
    if (ref) {
      const source = e.valueFrom?.secretKeyRef ? world.secrets : world.configMaps;
      const v = source?.[ref.name]?.[ref.key];
      if (v === undefined) throw new Error(`template "${template.name}": env ${e.name} refers to ${e.valueFrom?.secretKeyRef ? 'Secret' : 'ConfigMap'} "${ref.name}" key "${ref.key}", which the test did not give`);
      env[e.name] = v;
    }
  }
  const argv = (c.args ?? []).map(substitute);
  const scratch = mkdtempSync(join(tmpdir(), 'argots-step-'));
  const outputDir = join(scratch, 'outputs');
  const command = c.command ?? [];
  const runtime = command[0] === 'argots-runtime';
  const processEnv = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: scratch, ...(world.baseEnv ?? {}), ...env, ...(runtime ? { ARGOTS_OUTPUT_DIR: outputDir } : {}) };
  const [file, ...fixed] = runtime
    ? [process.execPath, '--conditions=source', '--import', 'tsx', RUNTIME_BIN]
    : command[0] === 'sh' ? ['bash', ...command.slice(1)] : command;
  try {
    const result = await run(file ?? 'false', [...fixed, ...argv], { cwd: ROOT, env: processEnv, maxBuffer: 64 * 1024 * 1024 }).then(
      (r) => ({ ...r, code: 0 }),
      (e: { stdout: string; stderr: string; code: number }) => ({ stdout: e.stdout, stderr: e.stderr, code: typeof e.code === 'number' ? e.code : 1 }),
    );
    const outputs: Record<string, string> = {};
    if (result.code === 0) {
      for (const out of template.outputs?.parameters ?? []) {
        const path = out.valueFrom?.path ?? '';
        const local = runtime && path.startsWith(`${DEFAULT_OUTPUT_DIR}/`) ? join(outputDir, path.slice(DEFAULT_OUTPUT_DIR.length + 1)) : mapPath(path, mounts);
        outputs[out.name] = readFileSync(local, 'utf8');
      }
    }
    return { code: result.code, stdout: result.stdout, stderr: result.stderr, outputs, env, argv };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
