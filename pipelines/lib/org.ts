// The organisation's settings shared by its standard pipelines: the application repository, the GitOps
// repository, one registry per environment, and runtime steps bound to the org's runtime image with the
// GitHub App credentials and the shared workspace volume.
import { env, runtimeSteps } from '@argots/dsl';
import type { PipelineOptions } from '@argots/dsl';

/** The application repository on GitHub (owner/name) and its clone URL. */
export const APP_REPO = 'acme/shop';
export const APP_GIT_URL = 'https://github.com/acme/shop.git';

/** The GitOps repository Argo CD watches. */
export const GITOPS_REPO = 'acme/gitops';
export const GITOPS_URL = 'https://github.com/acme/gitops.git';

/** One registry per environment: an image is built once on dev and moves by digest. */
export const REGISTRIES = {
  dev: 'registry.dev.acme.io/shop',
  staging: 'registry.staging.acme.io/shop',
  prod: 'registry.prod.acme.io/shop',
} as const;

/** Where every step finds the checkout: a volume claimed per workflow (see `WORKSPACE_CLAIM`). */
export const WORKSPACE = '/workspace';
export const SOURCE_DIR = '/workspace/src';

/** The per-workflow volume the checkout is written to and the other steps read. */
export const WORKSPACE_CLAIM = {
  apiVersion: 'v1' as const,
  kind: 'PersistentVolumeClaim' as const,
  metadata: { name: 'workspace' },
  spec: { accessModes: ['ReadWriteOnce' as const], resources: { requests: { storage: '2Gi' } } },
};

/** The pod security context every org pipeline runs with: the workspace is writable by the non-root user. */
export const POD_SECURITY = { runAsNonRoot: true, runAsUser: 65532, fsGroup: 65532 };

/** Runtime steps (`argots-runtime <command>`) with the org's image, credentials and workspace. */
export const steps = runtimeSteps({
  image: 'registry.acme.io/platform/argots-runtime:0.1.0',
  container: {
    env: {
      ARGOTS_GITHUB_APP_ID: env.secret('argots-github-app', 'app-id'),
      ARGOTS_GITHUB_APP_INSTALLATION_ID: env.secret('argots-github-app', 'installation-id'),
      ARGOTS_GITHUB_APP_PRIVATE_KEY: env.secret('argots-github-app', 'private-key'),
      ARGOTS_ENVIRONMENTS: '/etc/argots/environments.yaml',
    },
    volumeMounts: [
      { name: 'workspace', mountPath: WORKSPACE },
      { name: 'environments', mountPath: '/etc/argots', readOnly: true },
    ],
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
  },
  template: {
    volumes: [{ name: 'environments', configMap: { name: 'argots-environments' } }],
    retryStrategy: { limit: 2, retryPolicy: 'OnError', backoff: { duration: '10s', factor: 2 } },
  },
});

/** Workflow-level settings every org pipeline shares. */
export const ORG_PIPELINE: PipelineOptions = {
  serviceAccountName: 'argots-pipeline',
  securityContext: POD_SECURITY,
  volumeClaimTemplates: [WORKSPACE_CLAIM],
  podGC: { strategy: 'OnPodSuccess' },
  ttlStrategy: { secondsAfterSuccess: 3600, secondsAfterFailure: 86400 },
  labels: { 'app.kubernetes.io/part-of': 'argots', 'acme.io/team': 'platform' },
};

/** How every org pipeline's Sensor runs: the shared EventSource (pipelines/github-event-source.ts) feeds it. */
export const SENSOR = {
  serviceAccountName: 'argo-events-sensor',
  retryStrategy: { steps: 3, duration: '10s', factor: 2 },
};
