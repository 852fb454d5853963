// argots run from the command line: exit codes, output modes, bad input named clearly, the run folder, Ctrl-C,
// --approve, --replace-template, --event through the Sensors, HTTP templates and git artifacts for real.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from '@argots/cli';
import { memoryIo } from './memory-io.js';
import { fixtureProject, removeFixtureProjects } from './fixture-project.js';
import { startRegistry } from '../support/registry.js';
import { pushBusyboxImage } from '../support/test-images.js';

const root = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
const dirs: string[] = [];
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'argots-run-cli-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}
test.after(() => {
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  removeFixtureProjects();
});

const wf = (templates: string, extra = ''): string => `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: t}
spec:
  entrypoint: main
${extra}  templates:
${templates}`;

const OK_FAIL = `  - name: main
    dag:
      tasks:
      - {name: a, template: say}
      - {name: b, template: fail, depends: a}
  - name: say
    container: {image: alpine, command: [echo, hi]}
  - name: fail
    container: {image: alpine, command: [sh, -c, "echo line-1; echo line-2; echo about to fail >&2; exit 7"]}
`;

test('a failing workflow exits 1; the summary names the failed node, its exit code and its last log lines; the run folder keeps them', async () => {
  const dir = project({ 'wf.yaml': wf(OK_FAIL) });
  const io = memoryIo(dir);
  assert.is(await run(['run', 'wf.yaml', '--executor', 'host'], io), 1);
  const out = io.out();
  assert.match(out, /✔ t\.a Succeeded/);
  assert.match(out, /✖ workflow t Failed/);
  assert.match(out, /failed node: "t\.b" \(template "fail"\), exit code 7: Error \(exit code 7\)/);
  assert.match(out, /\| line-1\n {4}\| line-2\n {4}\| about to fail/);
  const record = JSON.parse(readFileSync(join(dir, '.argots/runs/t/run.json'), 'utf8')) as { phase: string; nodes: { name: string; logFile?: string }[] };
  assert.is(record.phase, 'Failed');
  const b = record.nodes.find((n) => n.name === 't.b');
  assert.ok(b?.logFile && readFileSync(join(dir, '.argots/runs/t', b.logFile), 'utf8').includes('about to fail'));
});

test('a workflow that succeeds exits 0; --json prints one event per node change and the result', async () => {
  const dir = project({ 'wf.yaml': wf(`  - name: main
    container: {image: alpine, command: [echo, hi]}
`) });
  const io = memoryIo(dir);
  assert.is(await run(['run', 'wf.yaml', '--executor', 'host', '--json'], io), 0);
  const events = io.out().trim().split('\n').map((l) => JSON.parse(l) as { type: string; phase?: string; name?: string });
  assert.ok(events.filter((e) => e.type === 'node').length >= 2);
  assert.equal(events.at(-1), { type: 'result', name: 't', phase: 'Succeeded', message: '', outputs: { parameters: {}, artifacts: {} }, runDir: '.argots/runs/t' });
});

test('bad input is refused before anything runs, naming the node: unknown template, cycle, missing parameter', async () => {
  const cases: [string, string, RegExp][] = [
    ['unknown', wf(`  - name: main
    dag: {tasks: [{name: build, template: compile}]}
`), /RUN111 Workflow\/t template "main" task "build": template "compile" not found/],
    ['cycle', wf(`  - name: main
    dag: {tasks: [{name: x, template: s, depends: y}, {name: y, template: s, depends: x}]}
  - name: s
    container: {image: alpine, command: ["true"]}
`), /RUN114 .* has a cycle: x -> y -> x/],
    ['missing', wf(`  - name: main
    container: {image: alpine, command: ["true"]}
`, '  arguments: {parameters: [{name: sha}]}\n'), /RUN121 workflow parameter "sha" has no value\n {2}hint: pass -p sha=VALUE/],
  ];
  for (const [name, text, expected] of cases) {
    const dir = project({ 'wf.yaml': text });
    const io = memoryIo(dir);
    assert.is(await run(['run', 'wf.yaml', '--executor', 'host'], io), 1, name);
    assert.match(io.err(), expected, name);
    assert.is(io.out(), '', `${name}: nothing ran`);
    assert.not.ok(existsSync(join(dir, '.argots')), `${name}: no run folder`);
  }
});

test('a backend that cannot run here errors the first node, named, with how to fix it: bwrap missing, no docker engine', async () => {
  const dir = project({ 'wf.yaml': wf(OK_FAIL) });
  const sandbox = memoryIo(dir, { env: { PATH: '/nonexistent' } });
  assert.is(await run(['run', 'wf.yaml', '--executor', 'sandbox'], sandbox), 1);
  assert.match(sandbox.out(), /failed node: "t\.a" \(template "say"\): the sandbox backend needs bubblewrap, and "bwrap" was not found on PATH .*\(hint: install bubblewrap/);
  const docker = memoryIo(dir, { env: { PATH: '/nonexistent' } });
  assert.is(await run(['run', 'wf.yaml', '--executor', 'docker'], docker), 1);
  assert.match(docker.out(), /failed node: "t\.a" \(template "say"\): .*docker.*\(hint: /);
});

test('-p sets a parameter; --approve resumes a suspend node with supplied values', async () => {
  const dir = project({
    'wf.yaml': wf(`  - name: main
    steps:
    - - {name: gate, template: gate}
    - - {name: use, template: say, arguments: {parameters: [{name: m, value: "{{workflow.parameters.who}} {{steps.gate.outputs.parameters.color}}"}]}}
  - name: gate
    suspend: {}
    outputs: {parameters: [{name: color, valueFrom: {supplied: {}}}]}
  - name: say
    inputs: {parameters: [{name: m}]}
    outputs: {parameters: [{name: said, globalName: said, valueFrom: {path: /dev/stdin, default: x}}]}
    container: {image: alpine, command: [echo, "{{inputs.parameters.m}}"]}
`, '  arguments: {parameters: [{name: who}]}\n'),
  });
  const io = memoryIo(dir);
  assert.is(await run(['run', 'wf.yaml', '--executor', 'host', '-p', 'who=me', '--approve', 'gate:color=blue', '--json'], io), 0, io.err());
  assert.match(io.out(), /"result":"me blue"/);
});

test('--replace-template runs another template of the same inputs and outputs; different ones are refused', async () => {
  const dir = project({
    'wf.yaml': wf(`  - name: main
    dag: {tasks: [{name: b, template: build}]}
  - name: build
    outputs: {parameters: [{name: digest, valueFrom: {path: /nonexistent/digest}}]}
    container: {image: gcr.io/kaniko-project/executor, command: [/kaniko/executor]}
`),
    'fake.yaml': `name: fake-build
outputs: {parameters: [{name: digest, valueFrom: {path: "/tmp/{{pod.name}}.digest"}}]}
container: {image: alpine, command: [sh, -c, 'echo sha256:0 > "$0"', "/tmp/{{pod.name}}.digest"]}
`,
    'wrong.yaml': `container: {image: alpine, command: ["true"]}\n`,
  });
  const io = memoryIo(dir);
  assert.is(await run(['run', 'wf.yaml', '--executor', 'host', '--replace-template', 'build=fake.yaml', '--json'], io), 0, io.out() + io.err());
  assert.match(io.out(), /"name":"digest","value":"sha256:0\\n"/);
  for (const f of readdirSync('/tmp').filter((f) => f.startsWith('t-build-'))) rmSync(join('/tmp', f), { force: true });
  const wrong = memoryIo(dir);
  assert.is(await run(['run', 'wf.yaml', '--executor', 'host', '--replace-template', 'build=wrong.yaml'], wrong), 1);
  assert.match(wrong.err(), /the replacement's outputs \(none\) differ from "build"'s \(parameter digest\)/);
});

test('HTTP templates run for real: successCondition over the response, the body as outputs.result', async () => {
  const server = createServer((req, res) => {
    res.writeHead(req.url === '/ok' ? 200 : 503, { 'content-type': 'text/plain' });
    res.end(req.url === '/ok' ? 'healthy' : 'down');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  try {
    const dir = project({
      'wf.yaml': wf(`  - name: main
    dag:
      tasks:
      - {name: up, template: get, arguments: {parameters: [{name: path, value: ok}]}}
      - {name: down, template: get, arguments: {parameters: [{name: path, value: broken}]}}
  - name: get
    inputs: {parameters: [{name: path}]}
    http:
      url: "http://127.0.0.1:${port}/{{inputs.parameters.path}}"
      successCondition: "response.statusCode == 200 && response.body == 'healthy'"
`),
    });
    const io = memoryIo(dir);
    assert.is(await run(['run', 'wf.yaml', '--executor', 'host', '--network'], io), 1);
    assert.match(io.out(), /✔ t\.up Succeeded/);
    assert.match(io.out(), /✖ t\.down Failed.*answered 503/);
  } finally {
    server.close();
  }
});

test('git artifacts are cloned at their revision into the step', async () => {
  const repo = project({ 'README': 'first\n' });
  const git = (...args: string[]): string => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
  git('init', '-q');
  git('add', '.');
  git('commit', '-qm', 'one');
  const first = git('rev-parse', 'HEAD').trim();
  writeFileSync(join(repo, 'README'), 'second\n');
  git('commit', '-qam', 'two');
  const dir = project({
    'wf.yaml': wf(`  - name: main
    inputs: {artifacts: [{name: src, path: "/tmp/{{pod.name}}-src", git: {repo: "${repo}", revision: "${first}"}}]}
    container: {image: alpine, command: [cat, "/tmp/{{pod.name}}-src/README"]}
`),
  });
  const io = memoryIo(dir);
  assert.is(await run(['run', 'wf.yaml', '--executor', 'host', '--json'], io), 0, io.out());
  assert.match(io.out(), /"result":"first"/);
});

interface Push { readonly ref: string; readonly after: string; readonly repository: { readonly full_name: string } }
const pushes = (JSON.parse(readFileSync(join(root, 'node_modules/@octokit/webhooks-examples/api.github.com/index.json'), 'utf8')) as { name: string; examples: Push[] }[]).find((e) => e.name === 'push')?.examples ?? [];

test('--event: a delivery goes through the Sensors; the Workflow they would create runs with the parameters it would get', async () => {
  const toMaster = pushes.find((e) => e.ref === 'refs/heads/master') as Push;
  const toTag = pushes.find((e) => e.ref.startsWith('refs/tags/')) as Push;
  const dir = fixtureProject({
    'pipelines/hello.ts': `import { container, github, param, pipeline } from '@argots/dsl';
const say = container('say', { inputs: { sha: param.string() }, container: (i) => ({ image: 'alpine:3.20', command: ['echo'], args: [i.sha] }) });
export default pipeline('hello-push', (p) => {
  const { after } = p.trigger(github.push({ repo: '${toMaster.repository.full_name}', branches: ['master'] }), (e) => ({ after: e.after }));
  p.task('say', say.call({ sha: after }));
});
`,
    'push-master.json': JSON.stringify(toMaster),
    'push-tag.json': JSON.stringify(toTag),
  });
  const io = memoryIo(dir);
  assert.is(await run(['run', 'pipelines', '--event', 'push-master.json', '--type', 'push', '--executor', 'host', '--json'], io), 0, io.err());
  assert.ok(io.out().includes(`"result":"${toMaster.after}"`), io.out());
  const tag = memoryIo(dir);
  assert.is(await run(['run', 'pipelines', '--event', 'push-tag.json', '--type', 'push', '--executor', 'host'], tag), 1);
  assert.match(tag.err(), /no Sensor trigger creates a Workflow for this push delivery/);
});

test('on a terminal the run is a live tree of the nodes, like argo watch', async () => {
  const dir = project({ 'wf.yaml': wf(OK_FAIL) });
  const io = memoryIo(dir, { tty: true });
  assert.is(await run(['run', 'wf.yaml', '--executor', 'host'], io), 1);
  const screen = io.out();
  assert.match(screen, /\x1b\[0J/, 'drawn in place (erase below, then the tree)');
  // eslint-disable-next-line no-control-regex
  const plain = screen.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
  // Durations print as 850ms, 1.2s or 1m5s (format-node.ts): a loaded machine may take over a second.
  const d = String.raw`(?:\d+ms|\d+\.\d+s|\d+m\d+s)`;
  assert.match(plain, new RegExp(String.raw`workflow t\n✖ t {2}${d} {2}task "b" failed\n├─ ✔ a {2}${d}\n└─ ✖ b {2}${d} {2}Error \(exit code 7\)`));
});

async function interrupted(executor: 'host' | 'sandbox', image: string): Promise<void> {
  const dir = project({
    'wf.yaml': wf(`  - name: main
    dag:
      tasks:
      - {name: a, template: long}
      - {name: b, template: long}
  - name: long
    container: {image: "${image}", command: [sh, -c, "sleep 31.7 & sleep 31.7; wait"]}
`),
  });
  const child = spawn(process.execPath, ['--conditions=source', '--import', pathToFileURL(join(root, 'node_modules/tsx/dist/esm/index.mjs')).href, join(root, 'packages/cli/src/bin.ts'), 'run', 'wf.yaml', '--executor', executor], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '', XDG_CACHE_HOME: join(dir, 'cache') },
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const sleepers = (): string[] => execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((l) => l.startsWith('sleep 31.7'));
  const deadline = Date.now() + 30_000;
  while (sleepers().length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.is(sleepers().length, 4, `both steps are running (${out})`);
  child.kill('SIGINT');
  const code = await new Promise<number | null>((r) => child.on('close', r));
  assert.is(code, 1);
  assert.match(out, /✖ workflow t Failed/);
  assert.match(out, /Stopped by the user/);
  const settle = Date.now() + 5_000;
  while (sleepers().length > 0 && Date.now() < settle) await new Promise((r) => setTimeout(r, 100));
  assert.equal(sleepers(), [], 'no process left');
}

test('Ctrl-C stops every running step and leaves no process behind (host)', () => interrupted('host', 'alpine'));

test('Ctrl-C stops every running container and leaves no process behind (sandbox)', async () => {
  const registry = await startRegistry({ name: 'run-ctrl-c' });
  try {
    const image = await pushBusyboxImage(registry, 'ctrl-c/shell', { tag: '1' });
    await interrupted('sandbox', image.reference);
  } finally {
    await registry.close();
  }
});

test.run();
