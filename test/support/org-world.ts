/**
 * Test support: the world the org pipelines' compiled steps run in, for test/e2e/org-*.test.ts — real git over
 * smart HTTP accepting only installation tokens that cover the repository (acme/shop with dev and
 * release/1.4, acme/gitops with a layout), the GitHub API test server, docker-registry instances for dev
 * and staging behind token auth whose only user is Workload Identity's `oauth2accesstoken`, a metadata
 * server, Secret Manager and Argo CD API test servers; and the StepWorld a pod of the org pipelines gets
 * (no Kubernetes Secret: ConfigMaps naming Secret Manager versions).
 */
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { appEnvironment, createWorld, type World } from '../../packages/runtime/test/github/world.js';
import { startRegistry, type TestRegistry } from './registry.js';
import { startMetadataServer, type MetadataServer } from './gce-metadata-server.js';
import { startArgoCdServer, type ArgoCdServer } from './argocd-api-server.js';
import { startSecretManagerServer, type SecretManagerServer } from './secret-manager-server.js';
import type { StepWorld } from './run-template.js';

const ROOT = new URL('../..', import.meta.url).pathname;
export const ARGOCD_TOKEN = 'argocd-test-token';

export interface OrgWorld {
  readonly world: World;
  readonly scratch: string;
  readonly registries: { dev: TestRegistry; staging: TestRegistry; prod: TestRegistry };
  /** The folder of the `argots-environments` ConfigMap (environments.yaml). */
  readonly environments: string;
  readonly metadata: MetadataServer;
  readonly argocd: ArgoCdServer;
  readonly secretManager: SecretManagerServer;
  readonly gitopsUrl: string;
  readonly appUrl: string;
  readonly release: string;
  readonly base: StepWorld;
  /** The compiled URLs point at github.com; the test's GitHub is on loopback: same paths, other origin. */
  local(url: string): string;
  close(): Promise<void>;
}

/** A compiled org WorkflowTemplate from manifests/ (what a cluster runs). */
export async function orgManifest(file: string): Promise<Record<string, unknown>> {
  return parse(await readFile(join(ROOT, 'manifests/workflow-template', file), 'utf8')) as Record<string, unknown>;
}

export async function startOrgWorld(): Promise<OrgWorld> {
  let world!: World;
  let scratch!: string;
  let registries!: { dev: TestRegistry; staging: TestRegistry; prod: TestRegistry };
  let metadata!: MetadataServer;
  let argocd!: ArgoCdServer;
  let secretManager!: SecretManagerServer;
  let gitopsUrl!: string;
  let appUrl!: string;
  let release!: string;
  let base!: StepWorld;
  world = await createWorld();
  scratch = await mkdtemp(join(tmpdir(), 'argots-org-steps-'));
  metadata = await startMetadataServer();
  // The only credential these registries take is the pod identity's access token (Artifact Registry's way).
  const users = { oauth2accesstoken: { password: metadata.token } };
  registries = { dev: await startRegistry({ name: 'dev', tokenAuth: users }), staging: await startRegistry({ name: 'staging', tokenAuth: users }), prod: await startRegistry({ name: 'prod', tokenAuth: users }) };
  argocd = await startArgoCdServer({ token: ARGOCD_TOKEN });
  // Secret Manager answers only the pod identity's token (from the metadata server).
  secretManager = await startSecretManagerServer({ token: metadata.token });

  ({ url: appUrl } = await world.createRepo('acme/shop'));
  await world.commit('acme/shop', 'dev', { 'services/shop-api/Dockerfile': 'FROM scratch\n', 'services/shop-api/config/app.yaml': 'greeting: hello\n' });
  release = await world.commit('acme/shop', 'release/1.4', { 'services/shop-api/config/app.yaml': 'greeting: release\n' }, 'release 1.4');
  ({ url: gitopsUrl } = await world.createRepo('acme/gitops', 'main'));
  await world.commit('acme/gitops', 'main', {
    'argots.yaml': [
      'defaults:', '  path: apps/{service}/overlays/{env}', 'environments: [dev, staging, prod]',
      'services:', '  shop-api:', '    images: [shop/shop-api]', '    config:', '      - { from: services/shop-api/config, to: config }', '',
    ].join('\n'),
    'apps/shop-api/overlays/dev/kustomization.yaml': 'resources: []\nimages:\n  - name: shop/shop-api\n    newName: shop/shop-api\n    newTag: old\n',
    'apps/shop-api/overlays/staging/kustomization.yaml': 'resources: []\nimages:\n  - name: shop/shop-api\n    newTag: old # staging\n',
  });
  const environments = join(scratch, 'etc-argots');
  await mkdir(environments);
  await writeFile(join(environments, 'environments.yaml'), [
    'environments:',
    `  dev: { registry: "${registries.dev.host}", repository: shop, scheme: http, auth: { kind: gce-metadata } }`,
    `  staging: { registry: "${registries.staging.host}", repository: shop, scheme: http, auth: { kind: gce-metadata } }`,
    `  prod: { registry: "${registries.prod.host}", repository: shop, scheme: http, auth: { kind: gce-metadata } }`,
    '',
  ].join('\n'));
  const app = appEnvironment(world);
  const appKey = secretManager.addVersion('acme-ci', 'argots-github-app-key', app['ARGOTS_GITHUB_APP_PRIVATE_KEY'] ?? '');
  const argocdToken = secretManager.addVersion('acme-ci', 'argocd-token', ARGOCD_TOKEN);
  base = {
    // No Kubernetes Secret at all: ids in ConfigMaps, keys and tokens named by their Secret Manager version.
    secrets: {},
    configMaps: {
      'argots-github-app': { 'app-id': app['ARGOTS_GITHUB_APP_ID'] ?? '', 'installation-id': app['ARGOTS_GITHUB_APP_INSTALLATION_ID'] ?? '', 'private-key-secret': appKey.replace(/\/versions\/\d+$/, '/versions/latest') },
      'argots-argocd': { 'token-secret': argocdToken },
    },
    mounts: { '/workspace': join(scratch, 'workspace'), '/etc/argots': environments },
    // What the cluster gives every pod: the GitHub API URL of this installation, the metadata server (and,
    // here only, where Secret Manager is).
    baseEnv: { ARGOTS_GITHUB_API_URL: world.api.baseUrl, GCE_METADATA_HOST: metadata.host, ARGOTS_SECRET_MANAGER_ENDPOINT: secretManager.url, GIT_TERMINAL_PROMPT: '0' },
  };
  return {
    world, scratch, registries, environments, metadata, argocd, secretManager, gitopsUrl, appUrl, release, base,
    local: (url) => url.replace('https://github.com/acme/shop.git', appUrl).replace('https://github.com/acme/gitops.git', gitopsUrl),
    async close() {
      await world?.close();
      await Promise.all([registries?.dev.close(), registries?.staging.close(), registries?.prod.close(), metadata?.close(), argocd?.close(), secretManager?.close()]);
      await rm(scratch, { recursive: true, force: true });
    },
  };
}
