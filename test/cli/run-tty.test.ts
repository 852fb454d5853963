// argots run on a real terminal: an open suspend node asks whether to resume it (and for its supplied output
// values) through a pseudo-terminal made by util-linux's `script`; approving resumes the workflow with the typed
// value, rejecting fails the suspend node and the workflow.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const root = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
const dirs: string[] = [];
test.after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const WORKFLOW = `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: t}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: gate, template: approval}
    - - {name: use, template: say, arguments: {parameters: [{name: color, value: "{{steps.gate.outputs.parameters.color}}"}]}}
  - name: approval
    suspend: {}
    outputs:
      parameters:
      - {name: color, valueFrom: {supplied: {}}, enum: [red, green]}
  - name: say
    inputs: {parameters: [{name: color}]}
    container: {image: alpine, command: [echo, "{{inputs.parameters.color}}"]}
`;

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

interface Session {
  readonly dir: string;
  readonly output: () => string;
  readonly waitFor: (re: RegExp) => Promise<void>;
  readonly type: (text: string) => void;
  readonly exit: Promise<number | null>;
}

/** `argots run` in a pseudo-terminal: `script -qfec COMMAND /dev/null` gives it a TTY on stdin and stdout. */
function onTerminal(): Session {
  const dir = mkdtempSync(join(tmpdir(), 'argots-run-tty-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'wf.yaml'), WORKFLOW);
  const argv = [process.execPath, '--conditions=source', '--import', pathToFileURL(join(root, 'node_modules/tsx/dist/esm/index.mjs')).href, join(root, 'packages/cli/src/bin.ts'), 'run', 'wf.yaml', '--executor', 'host'];
  const child = spawn('script', ['-qfec', argv.map(quote).join(' '), '/dev/null'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '', TERM: 'dumb', NO_COLOR: '1' } });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exit = new Promise<number | null>((r) => child.on('close', r));
  return {
    dir,
    output: () => out,
    waitFor: async (re) => {
      const deadline = Date.now() + 30_000;
      while (!re.test(out) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
      assert.match(out, re, `the terminal shows ${re} (output so far: ${JSON.stringify(out.slice(-400))})`);
    },
    type: (text) => child.stdin.write(text),
    exit,
  };
}

/** The run's record (.argots/runs/t/run.json). */
const record = (session: Session): { phase: string; nodes: { name: string; phase: string; message: string; outputs?: { result?: string } }[] } =>
  JSON.parse(readFileSync(join(session.dir, '.argots', 'runs', 't', 'run.json'), 'utf8'));

test('on a terminal, an open suspend node asks; "y" and a typed value resume it and the next step gets the value', async () => {
  const s = onTerminal();
  await s.waitFor(/"gate" is suspended\. Resume it\? \[y\/N\]/);
  s.type('y\r');
  await s.waitFor(/color \(red\|green\): /);
  s.type('green\r');
  assert.is(await s.exit, 0, s.output());
  const run = record(s);
  assert.is(run.phase, 'Succeeded');
  assert.is(run.nodes.find((n) => n.name === 't[1].use')?.outputs?.result, 'green');
  assert.is(run.nodes.find((n) => n.name === 't[0].gate')?.phase, 'Succeeded');
});

test('on a terminal, answering anything but yes rejects: the suspend node and the workflow fail', async () => {
  const s = onTerminal();
  await s.waitFor(/Resume it\? \[y\/N\]/);
  s.type('n\r');
  assert.is(await s.exit, 1, s.output());
  const run = record(s);
  assert.is(run.phase, 'Failed');
  const gate = run.nodes.find((n) => n.name === 't[0].gate');
  assert.is(gate?.phase, 'Failed');
  assert.is(gate?.message, 'rejected');
  assert.is(run.nodes.find((n) => n.name === 't[1].use'), undefined, 'the step after the gate did not run');
});

test.run();
