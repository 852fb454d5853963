// The organisation's settings shared by its standard pipelines: the application repository, the GitOps
// repository, one Artifact Registry repository per environment, Argo CD, and runtime steps bound to the
// org's runtime image. Credentials go only where they are needed: the GitHub App key only to the steps that
// talk to GitHub (`githubSteps`), never to local work (`steps`: detect-*, promote, wait-for-deploy).
import { env, runtimeCommands, runtimeContainer, runtimeSteps } from '@argots/dsl';
import type { PipelineOptions } from '@argots/dsl';

/** The application repository on GitHub (owner/name) and its clone URL. */
export const APP_REPO = 'acme/shop';
export const APP_GIT_URL = 'https://github.com/acme/shop.git';

/** The GitOps repository Argo CD watches. */
export const GITOPS_REPO = 'acme/gitops';
export const GITOPS_URL = 'https://github.com/acme/gitops.git';

/**
 * One registry per environment: an image is built once on dev and moves by digest. These are Artifact
 * Registry repositories; the runtime reaches them with the pod's Workload Identity (the environments
 * ConfigMap in deploy/ says `auth: { kind: gce-metadata }`), build steps with the same identity.
 */
export const REGISTRIES = {
  dev: 'europe-docker.pkg.dev/acme-ci/shop-dev',
  staging: 'europe-docker.pkg.dev/acme-ci/shop-staging',
  prod: 'europe-docker.pkg.dev/acme-prod/shop',
} as const;

/** The Google project and service account the pipelines' pods act as (Workload Identity). */
export const GCP_PROJECT = 'acme-ci';
export const PIPELINE_GSA = 'argots-pipeline@acme-ci.iam.gserviceaccount.com';

/** Argo CD's API, which `wait-for-deploy` asks whether the pushed revision is synced and healthy. */
export const ARGOCD_SERVER = 'https://argocd.acme.io';

/** Where every step finds the checkout: a volume claimed per workflow (see `WORKSPACE_CLAIM`). */
export const WORKSPACE = '/workspace';
export const SOURCE_DIR = '/workspace/src';
/** Where a service lives in the application repository: `services/<name>` (its build context). */
export const SERVICE_DIR = 'services';

/**
 * The per-workflow volume the checkout is written to and the other steps read. Steps of one workflow run
 * in parallel on any node, so the claim is ReadWriteMany (GKE: the Filestore CSI class `standard-rwx`;
 * a ReadWriteOnce claim shared by pods on two nodes fails with Multi-Attach). See pipelines/README.md.
 */
export const WORKSPACE_CLAIM = {
  apiVersion: 'v1' as const,
  kind: 'PersistentVolumeClaim' as const,
  metadata: { name: 'workspace' },
  spec: { accessModes: ['ReadWriteMany' as const], storageClassName: 'standard-rwx', resources: { requests: { storage: '2Gi' } } },
};

/** The pod security context every org pipeline runs with: the workspace is writable by the non-root user. */
export const POD_SECURITY = { runAsNonRoot: true, runAsUser: 65532, fsGroup: 65532 };

/**
 * Every image the org pipelines run, in one place: a test (test/deploy/pin-images.test.ts) checks that no
 * template uses another, and `node scripts/pin-images.mjs check` refuses any image in the rendered platform
 * (`kubectl kustomize deploy/`) that is not pinned as `name:tag@sha256:<digest>`.
 *
 * Each digest below comes from a published, citable source (named beside it: the publisher's own listing
 * where one exists, else a public repository that pins that exact tag@digest); none is invented. Where no
 * published digest could be found (this machine reaches no public registry), the entry stays a tag and is
 * named in `UNPINNED_IMAGES` with the reason: `node scripts/pin-images.mjs resolve` pins it (skopeo reads the
 * tag's current manifest where a registry is reachable), `set` records a digest you built, then `pnpm compile`.
 */
export const IMAGES = {
  runtime: 'registry.acme.io/platform/argots-runtime:0.1.0',
  // freedomofpress/dangerzone, dev_scripts/repro-build.py at f0bfafa65e8e (DEFAULT_BUILDKIT_IMAGE_ROOTLESS: tag and
  // digest together; a third-party pin, not Docker Hub itself). v0.19.0 rather than v0.16.0: no citable digest of
  // v0.16.0-rootless was found (the two in the reference material are placeholders); the same file runs this
  // image as we do (`buildctl-daemonless.sh`, BUILDKITD_FLAGS=--oci-worker-no-process-sandbox, uid 1000).
  buildkit: 'moby/buildkit:v0.19.0-rootless@sha256:e901cffdad753892a7c3afb8b9972549fca02c73888cf340c91ed801fdd96d71',
  // docker-library/repo-info, repos/docker/remote/29.6.2-cli.md at 0f48b77a71f3 (the Docker Official Images'
  // published index digest for docker:29.6.2-cli; Docker CLI 29.6.2 with buildx 0.35.0).
  dockerCli: 'docker:29.6.2-cli@sha256:be132a9f282288de4afaf63379dff75711fda0147c6b72a9df44e51841402144',
  // pranaysuyash/advay-learning, .github/workflows/trivy.yml at e4bbe249c0a4 (its `docker run` of trivy); the same
  // tag@digest appears in several other public files (a release script, a CI write-up, a Python pin table); one
  // Makefile pins another digest for this tag (likely one platform's manifest): the index digest is the common one.
  trivy: 'aquasec/trivy:0.56.2@sha256:26245f364b6f5d223003dc344ec1eb5eb8439052bfecb31d79aeba0c74344b3a',
} as const;

/**
 * The entries of `IMAGES` still a tag, and why. `pin-images check` refuses them like any unpinned image; the
 * test checks that exactly these are unpinned, so a new unpinned image cannot slip in beside them.
 */
export const UNPINNED_IMAGES: Readonly<Partial<Record<keyof typeof IMAGES, string>>> = {
  runtime: 'built by the organisation (deploy/runtime-image): build it, then `node scripts/pin-images.mjs set runtime=<the reference build-runtime-image.ts prints>`',
};

/** The runtime image (built from deploy/runtime-image; see deploy/runtime-image/README.md). */
export const RUNTIME_IMAGE = IMAGES.runtime;

const RUNTIME_CONTAINER = {
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
};
const RUNTIME_TEMPLATE = {
  retryStrategy: { limit: 2, retryPolicy: 'OnError' as const, backoff: { duration: '10s', factor: 2 } },
  activeDeadlineSeconds: 900,
};

/** Runtime steps that do local work or use the pod's Workload Identity only: no GitHub App key. */
export const steps = runtimeSteps({
  image: RUNTIME_IMAGE,
  container: {
    ...RUNTIME_CONTAINER,
    env: { ARGOTS_ENVIRONMENTS: '/etc/argots/environments.yaml' },
    volumeMounts: [
      { name: 'workspace', mountPath: WORKSPACE },
      { name: 'environments', mountPath: '/etc/argots', readOnly: true },
    ],
  },
  template: { ...RUNTIME_TEMPLATE, volumes: [{ name: 'environments', configMap: { name: 'argots-environments' } }] },
});

/**
 * Runtime steps that talk to GitHub (clone, push, pull requests): the App's id and installation (the
 * `argots-github-app` ConfigMap) and its private key, read from Secret Manager (the version named in that
 * ConfigMap) with the pod's Workload Identity. Each command narrows the installation tokens it mints to the
 * repositories and permissions it needs.
 */
export const githubSteps = runtimeSteps({
  image: RUNTIME_IMAGE,
  container: {
    ...RUNTIME_CONTAINER,
    env: {
      ARGOTS_GITHUB_APP_ID: env.configMap('argots-github-app', 'app-id'),
      ARGOTS_GITHUB_APP_INSTALLATION_ID: env.configMap('argots-github-app', 'installation-id'),
      // Read by the runtime from Secret Manager as the pod's Workload Identity: no key in a Kubernetes Secret.
      ARGOTS_GITHUB_APP_PRIVATE_KEY_FROM_SECRET_MANAGER: env.configMap('argots-github-app', 'private-key-secret'),
    },
    volumeMounts: [{ name: 'workspace', mountPath: WORKSPACE }],
  },
  template: RUNTIME_TEMPLATE,
});

/**
 * For a build pod: an init container that writes a Docker config with the pod identity's short-lived token
 * for the environment's registry into the `docker-config` emptyDir (mount it where the build reads its
 * Docker config), and the volumes it needs. No push key in any Secret.
 */
export function registryLogin(environment: 'dev' | 'staging' | 'prod') {
  return {
    initContainers: [
      runtimeContainer(runtimeCommands['registry-login'], 'registry-login', { env: [environment], file: '/docker/config.json' }, {
        image: RUNTIME_IMAGE,
        env: [{ name: 'ARGOTS_ENVIRONMENTS', value: '/etc/argots/environments.yaml' }],
        volumeMounts: [{ name: 'docker-config', mountPath: '/docker' }, { name: 'environments', mountPath: '/etc/argots', readOnly: true }],
        resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
      }),
    ],
    volumes: [{ name: 'docker-config', emptyDir: {} }, { name: 'environments', configMap: { name: 'argots-environments' } }],
  };
}

/**
 * The step that waits on Argo CD: its API token (from Secret Manager; Argo CD has no workload identity), and the
 * GitHub App to read the GitOps repository when Argo CD reports a later revision (does it contain ours?): the
 * runtime mints that token narrowed to the GitOps repository with `contents: read`, and only then.
 */
export const argocdSteps = runtimeSteps({
  image: RUNTIME_IMAGE,
  container: {
    ...RUNTIME_CONTAINER,
    env: {
      ARGOTS_ARGOCD_TOKEN_FROM_SECRET_MANAGER: env.configMap('argots-argocd', 'token-secret'),
      ARGOTS_GITHUB_APP_ID: env.configMap('argots-github-app', 'app-id'),
      ARGOTS_GITHUB_APP_INSTALLATION_ID: env.configMap('argots-github-app', 'installation-id'),
      ARGOTS_GITHUB_APP_PRIVATE_KEY_FROM_SECRET_MANAGER: env.configMap('argots-github-app', 'private-key-secret'),
    },
  },
  template: { retryStrategy: { limit: 2, retryPolicy: 'OnError' as const }, activeDeadlineSeconds: 1200 },
});

/** The org's Argo CD Application naming: `<service>-<env>` (wait-for-deploy checks it deploys from the GitOps repository). */
export const APPLICATION_NAME = '{service}-{env}';

/**
 * Options for a GitOps write step (`githubSteps.updateManifests(inputs, gitopsWrite('dev'))`): it holds the
 * `gitops-<env>` mutex for its own duration only, so workflows queue for the push, not for their builds.
 */
export const gitopsWrite = (environment: 'dev' | 'staging' | 'prod') => ({
  template: { ...RUNTIME_TEMPLATE, synchronization: { mutexes: [{ name: `gitops-${environment}` }] } },
});

/** Workflow-level settings every org pipeline shares. */
export const ORG_PIPELINE: PipelineOptions = {
  serviceAccountName: 'argots-pipeline',
  securityContext: POD_SECURITY,
  volumeClaimTemplates: [WORKSPACE_CLAIM],
  podGC: { strategy: 'OnPodSuccess' },
  ttlStrategy: { secondsAfterSuccess: 3600, secondsAfterFailure: 86400 },
  activeDeadlineSeconds: 7200,
  labels: { 'app.kubernetes.io/part-of': 'argots', 'acme.io/team': 'platform' },
};

/** How every org pipeline's Sensor runs: the shared EventSource (pipelines/github-event-source.ts) feeds it. */
export const SENSOR = {
  serviceAccountName: 'argo-events-sensor',
  retryStrategy: { steps: 3, duration: '10s', factor: 2 },
};
