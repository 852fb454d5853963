// The platform base a team applies with `kubectl apply -k deploy/`: it renders with kubectl's kustomize,
// every document passes `argots lint` and its upstream schema (Argo kinds: the Argo Workflows / Argo Events
// JSON schemas in test/schemas; Kubernetes kinds: kubernetes-models' validators, generated from the
// Kubernetes OpenAPI), the compiled pipelines in it are the goldens, and the identities, RBAC and
// configuration are what the pipelines refer to — nothing more.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments, parse } from 'yaml';
import { validateEnvironments } from '@argots/contract';
import { ConfigMap, ServiceAccount } from 'kubernetes-models/v1';
import { Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { upstreamErrors as workflowErrors } from '../../packages/dsl/test/validate/_support/upstream-schema.js';
import { upstreamErrors as eventErrors } from '../../packages/dsl/test/events/upstream-schema.js';
import { K8S_TOOLS, RUNTIME_DEBIAN_PACKAGES } from '../../deploy/runtime-image/build-runtime-image.js';
import { IMAGES } from '../../pipelines/lib/org.js';

const run = promisify(execFile);
const ROOT = new URL('../..', import.meta.url).pathname;
const DEPLOY = join(ROOT, 'deploy');
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- YAML documents

let rendered = '';
let docs: Obj[] = [];

test.before(async () => {
  rendered = (await run('kubectl', ['kustomize', DEPLOY], { maxBuffer: 32 * 1024 * 1024 })).stdout;
  docs = parseAllDocuments(rendered).map((d) => d.toJS() as Obj);
});

const byKind = (kind: string): Obj[] => docs.filter((d) => d['kind'] === kind);
const named = (kind: string, name: string): Obj | undefined => byKind(kind).find((d) => d['metadata']?.['name'] === name);

test('kubectl kustomize deploy/ renders the platform, all in one namespace', () => {
  const kinds = docs.map((d) => d['kind']).sort();
  for (const k of ['ConfigMap', 'EventSource', 'Ingress', 'Role', 'RoleBinding', 'Sensor', 'ServiceAccount', 'WorkflowTemplate']) assert.ok(kinds.includes(k), `${k} is shipped`);
  assert.equal([...new Set(docs.map((d) => d['metadata']?.['namespace']))], ['ci']);
});

test('every document passes argots lint', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'argots-deploy-'));
  try {
    await writeFile(join(dir, 'rendered.yaml'), rendered);
    const r = await run(process.execPath, ['--conditions=source', '--import', 'tsx', join(ROOT, 'packages/cli/src/bin.ts'), 'lint', join(dir, 'rendered.yaml')], { cwd: ROOT }).then(
      (x) => ({ code: 0, out: x.stdout + x.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
    );
    assert.is(r.code, 0, r.out);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('every document passes its upstream schema', () => {
  const core: Record<string, (d: Obj) => void> = {
    ServiceAccount: (d) => new ServiceAccount(d as never).validate(),
    ConfigMap: (d) => new ConfigMap(d as never).validate(),
    Role: (d) => new Role(d as never).validate(),
    RoleBinding: (d) => new RoleBinding(d as never).validate(),
    Ingress: (d) => new Ingress(d as never).validate(),
  };
  for (const d of docs) {
    const where = `${d['kind']}/${d['metadata']?.['name']}`;
    if (d['kind'] === 'WorkflowTemplate') assert.equal(workflowErrors(d), [], where);
    else if (d['kind'] === 'Sensor' || d['kind'] === 'EventSource') assert.equal(eventErrors(d), [], where);
    else {
      const validate = core[String(d['kind'])];
      assert.ok(validate, `${where}: a kind this test validates`);
      validate?.(d);
    }
  }
});

test('deploy/pipelines holds exactly the compiled goldens of pipelines/, and the kustomization lists every one', async () => {
  const files: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      if (e.isDirectory()) await walk(join(dir, e.name));
      else files.push(relative(DEPLOY, join(dir, e.name)));
    }
  };
  await walk(join(DEPLOY, 'pipelines'));
  assert.ok(files.length >= 11);
  const listed = (parse(await readFile(join(DEPLOY, 'kustomization.yaml'), 'utf8')) as { resources: string[] }).resources;
  for (const f of files.sort()) {
    assert.ok(listed.includes(f), `${f} is in deploy/kustomization.yaml`);
    assert.is(await readFile(join(DEPLOY, f), 'utf8'), await readFile(join(ROOT, 'manifests', relative('pipelines', f)), 'utf8'), `${f} equals manifests/`);
  }
});

test('identities: the pipeline pods act as a Google service account (Workload Identity); Sensors may only create Workflows; the EventSource gets no API token', () => {
  const pipelineSa = named('ServiceAccount', 'argots-pipeline');
  assert.match(String(pipelineSa?.['metadata']?.['annotations']?.['iam.gke.io/gcp-service-account']), /^argots-pipeline@acme-ci\.iam\.gserviceaccount\.com$/);
  assert.equal(named('Role', 'argots-sensor-submit')?.['rules'], [{ apiGroups: ['argoproj.io'], resources: ['workflows'], verbs: ['create'] }]);
  assert.equal(named('Role', 'argots-pipeline-executor')?.['rules'], [{ apiGroups: ['argoproj.io'], resources: ['workflowtaskresults'], verbs: ['create', 'patch'] }]);
  assert.is(named('ServiceAccount', 'argots-eventsource')?.['automountServiceAccountToken'], false);
  for (const b of byKind('RoleBinding')) for (const s of b['subjects']) assert.ok(named('ServiceAccount', s.name), `${b['metadata']['name']}: subject ${s.name} exists`);
  // Every identity the compiled resources name is shipped.
  for (const t of byKind('WorkflowTemplate')) assert.ok(named('ServiceAccount', t['spec']['serviceAccountName']), `${t['metadata']['name']}'s service account`);
  for (const s of byKind('Sensor')) assert.ok(named('ServiceAccount', s['spec']['template']['serviceAccountName']), `${s['metadata']['name']}'s service account`);
  for (const e of byKind('EventSource')) assert.ok(named('ServiceAccount', e['spec']['template']['serviceAccountName']), `${e['metadata']['name']}'s service account`);
});

test('configuration: every ConfigMap the templates read is shipped, the environments file is valid, and no pipeline pod reads a Kubernetes Secret', () => {
  const refs = new Set<string>();
  const secrets = new Set<string>();
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (!v || typeof v !== 'object') return;
    const o = v as Obj;
    if (o['configMapKeyRef']) refs.add(o['configMapKeyRef'].name);
    if (o['configMap']?.name) refs.add(o['configMap'].name);
    if (o['secretKeyRef']) secrets.add(o['secretKeyRef'].name);
    if (o['secret']?.secretName) secrets.add(o['secret'].secretName);
    Object.values(o).forEach(visit);
  };
  byKind('WorkflowTemplate').forEach(visit);
  for (const name of refs) assert.ok(named('ConfigMap', name), `ConfigMap ${name} is shipped`);
  assert.equal([...secrets], [], 'no pipeline pod reads a Kubernetes Secret: keys come from Secret Manager, registry tokens from Workload Identity');
  const environments = parse(named('ConfigMap', 'argots-environments')?.['data']['environments.yaml']);
  const checked = validateEnvironments(environments);
  assert.ok(checked.ok, JSON.stringify(checked));
  if (checked.ok) for (const e of Object.values(checked.environments)) assert.equal(e.auth, { kind: 'gce-metadata' });
});

test('the Ingress routes every webhook endpoint of the EventSource to its Service', () => {
  const ingress = named('Ingress', 'argots-github-webhooks');
  const paths = ingress?.['spec']['rules'].flatMap((r: Obj) => r['http']['paths'].map((p: Obj) => ({ host: r['host'], path: p['path'], service: p['backend']['service']['name'], port: p['backend']['service']['port']['number'] })));
  const source = byKind('EventSource')[0] as Obj;
  const ports = source['spec']['service']['ports'].map((p: Obj) => p.port);
  for (const [name, hook] of Object.entries(source['spec']['github'] as Record<string, Obj>)) {
    const url = new URL(hook['webhook']['url']);
    assert.ok(
      paths.some((p: Obj) => p.host === url.hostname && p.path === hook['webhook']['endpoint'] && p.service === `${source['metadata']['name']}-eventsource-svc` && ports.includes(p.port) && String(p.port) === hook['webhook']['port']),
      `webhook ${name} (${hook['webhook']['endpoint']}) is routed`,
    );
  }
});

test('the Dockerfile builds what the Docker-less builder builds, from a base that must be pinned by digest', async () => {
  const dockerfile = await readFile(join(DEPLOY, 'runtime-image/Dockerfile'), 'utf8');
  const froms = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
  assert.equal(froms, ['${BASE_IMAGE}', '${BASE_IMAGE}'], 'no image but the digest-pinned base');
  assert.match(dockerfile, /^ARG BASE_IMAGE$/m, 'no default: an unpinned base cannot slip in');
  const installed = /apt-get install -y --no-install-recommends ([a-z0-9 .-]+?) \\\n \&\& rm -rf \/var\/lib\/apt\/lists\/\* \\\n \&\& groupadd/.exec(dockerfile)?.[1]?.split(' ');
  assert.equal([...(installed ?? [])].sort(), [...RUNTIME_DEBIAN_PACKAGES].sort());
  assert.match(dockerfile, `${K8S_TOOLS.kubectlSha256}  /out/usr/local/bin/kubectl`);
  assert.match(dockerfile, `${K8S_TOOLS.helmSha256}  /out/usr/local/bin/helm`);
  assert.match(dockerfile, K8S_TOOLS.npmPackage);
});

test('every image the org pipelines run comes from the one table that pins them (pipelines/lib/org.ts IMAGES)', async () => {
  const images = new Set<string>();
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v as Obj)) {
      if (k === 'image' && typeof x === 'string') images.add(x);
      else visit(x);
    }
  };
  byKind('WorkflowTemplate').forEach(visit);
  const table = new Set<string>(Object.values(IMAGES));
  assert.equal([...images].filter((i) => !table.has(i)), [], 'no image outside IMAGES');
  assert.ok(images.has(IMAGES.runtime));
});

test.run();
