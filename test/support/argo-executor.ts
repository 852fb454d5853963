/**
 * Test support: runs the entrypoint DAG of a compiled workflow the way Argo runs it, with the REAL
 * `argots-runtime` binary in each runtime step: parameters are substituted into each task's arguments and the
 * template's argv, output parameters are read from the files the template names, `when` is evaluated on
 * them, and a failed node stops the workflow. A container that is not a runtime step (an image build) is
 * not run: whether it would run, and with which inputs, is decided as Argo would and recorded. Only what the
 * compiled steps need is supported.
 */
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_OUTPUT_DIR } from '@argots/contract';

const run = promisify(execFile);
const ROOT = new URL('../..', import.meta.url).pathname;
const RUNTIME_BIN = join(ROOT, 'packages/runtime/src/bin.ts');

export type Obj = Record<string, unknown>;
interface Param { name: string; value?: string; valueFrom?: { path?: string } }
interface Task { name: string; template: string; when?: string; arguments?: { parameters?: Param[] } }
interface ContainerTemplate { name: string; container?: { command: string[]; args: string[] }; outputs?: { parameters?: Param[] } }

export interface TaskRun {
  skipped: boolean;
  /** false for a container that is not a runtime step: its `when` and inputs are decided, it is not run. */
  ran: boolean;
  /** The task's input parameters, substituted as Argo passes them. */
  inputs: Record<string, string>;
  outputs: Record<string, string>;
  stdout: string;
  stderr: string;
  code: number;
}

/** Substitutes `{{scope.path}}` tags the way Argo does; an unknown tag fails the test (Argo would fail the node). */
function substitute(text: string, values: ReadonlyMap<string, string>): string {
  return text.replace(/\{\{([^{}]+)\}\}/g, (_, tag: string) => {
    const v = values.get(tag.trim());
    if (v === undefined) throw new Error(`unresolved {{${tag}}} in ${JSON.stringify(text)}`);
    return v;
  });
}

/** Evaluates the `when` forms the DSL renders for enum comparisons: `'<a>' == '<b>'` after substitution. */
function evaluateWhen(expression: string): boolean {
  const m = /^'([^']*)' (==|!=) '([^']*)'$/.exec(expression);
  if (!m) throw new Error(`this executor does not understand when: ${expression}`);
  return m[2] === '==' ? m[1] === m[3] : m[1] !== m[3];
}

/** Runs the compiled entrypoint DAG in declaration order (which is topological for these pipelines). */
export async function execute(workflow: Obj, parameters: Record<string, string>, scratch: string, env: Readonly<Record<string, string>> = {}): Promise<Map<string, TaskRun>> {
  const spec = workflow['spec'] as { entrypoint: string; templates: (ContainerTemplate & { dag?: { tasks: Task[] } })[] };
  const entry = spec.templates.find((t) => t.name === spec.entrypoint);
  const declared = ((workflow['spec'] as Obj)['arguments'] as { parameters: Param[] }).parameters.map((p) => p.name);
  assert.equal([...declared].sort(), Object.keys(parameters).sort(), 'the workflow declares exactly the parameters we pass');
  const values = new Map(Object.entries(parameters).map(([k, v]) => [`workflow.parameters.${k}`, v]));
  const runs = new Map<string, TaskRun>();
  for (const task of entry?.dag?.tasks ?? []) {
    if (task.when !== undefined && !evaluateWhen(substitute(task.when, values))) {
      runs.set(task.name, { skipped: true, ran: false, inputs: {}, outputs: {}, stdout: '', stderr: '', code: 0 });
      continue;
    }
    const template = spec.templates.find((t) => t.name === task.template);
    assert.ok(template?.container, `task "${task.name}" runs a container template`);
    const given = (task.arguments?.parameters ?? []).map((p) => [p.name, substitute(p.value ?? '', values)] as const);
    const inputs = new Map(given.map(([name, v]) => [`inputs.parameters.${name}`, v]));
    if (template.container.command[0] !== 'argots-runtime') {
      runs.set(task.name, { skipped: false, ran: false, inputs: Object.fromEntries(given), outputs: {}, stdout: '', stderr: '', code: 0 });
      continue;
    }
    assert.equal(template.container.command, ['argots-runtime']);
    const argv = template.container.args.map((a) => substitute(a, inputs));
    const outputDir = join(scratch, task.name);
    const result = await run(process.execPath, ['--conditions=source', '--import', 'tsx', RUNTIME_BIN, ...argv], {
      cwd: ROOT, // where `--import tsx` resolves; every path input is absolute
      env: { ...process.env, ...env, ARGOTS_OUTPUT_DIR: outputDir, GIT_TERMINAL_PROMPT: '0' },
    }).then((r) => ({ ...r, code: 0 }), (e: { stdout: string; stderr: string; code: number }) => ({ stdout: e.stdout, stderr: e.stderr, code: e.code }));
    const outputs: Record<string, string> = {};
    if (result.code === 0) {
      for (const out of template.outputs?.parameters ?? []) {
        const path = out.valueFrom?.path ?? '';
        assert.ok(path.startsWith(`${DEFAULT_OUTPUT_DIR}/`), `output "${out.name}" is read from the runtime's output directory`);
        outputs[out.name] = readFileSync(join(outputDir, path.slice(DEFAULT_OUTPUT_DIR.length + 1)), 'utf8');
        values.set(`tasks.${task.name}.outputs.parameters.${out.name}`, outputs[out.name] ?? '');
      }
    }
    runs.set(task.name, { skipped: false, ran: true, inputs: Object.fromEntries(given), outputs, stdout: result.stdout, stderr: result.stderr, code: result.code });
    if (result.code !== 0) break; // a failed node fails the workflow: nothing downstream runs
  }
  return runs;
}

