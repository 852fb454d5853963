// A multi-target `docker buildx bake` build: the docker CLI drives a rootless BuildKit daemon running as a
// sidecar of the same pod, pushes the given targets to the environment's registry (tags overridden with
// `--set`), and a small script picks one target's pushed image reference from bake's metadata. Event-derived values arrive as argv and env, never as source.
import { container, dag, output, param, script } from '@argots/dsl';
import { IMAGES, RUNTIME_IMAGE, WORKSPACE, registryLogin } from './org.js';

const BAKE = [
  'set -euf', // -f: target names are split on spaces, never globbed
  // TARGETS: one target name, or a JSON list of names (detect-changes' codeServices); each checked to be a name.
  'targets=$(printf %s "$TARGETS" | sed \'s/[][",]/ /g\')',
  'test -n "$targets" || { echo "no bake target given (TARGETS=$TARGETS)" >&2; exit 1; }',
  'for target in $targets; do case "$target" in *[!A-Za-z0-9_.-]*) echo "bake target \\"$target\\" is not a target name" >&2; exit 1;; esac; done',
  'docker buildx create --name buildkit --driver remote --use tcp://localhost:1234',
  'until docker buildx inspect --bootstrap >/dev/null 2>&1; do sleep 1; done',
  'cd "$1"',
  // The environment's registry, whatever the bake file says: every target is tagged <registry>/<target>:<tag>.
  'registry="$2"; shift 2',
  'set --',
  'for target in $targets; do set -- "$@" --set "$target.tags=$registry/$target:$TAG"; done',
  'docker buildx bake --push --metadata-file /tmp/metadata.json "$@" $targets',
].join('\n');

// Node (the runtime image's): a target missing from the metadata fails the step with its name.
const PICK = `const meta = JSON.parse(process.env.METADATA);
const target = meta[process.env.TARGET];
if (!target || !target['containerimage.digest']) {
  console.error('bake metadata has no pushed image for target "' + process.env.TARGET + '"; it has: ' + Object.keys(meta).join(', '));
  process.exit(1);
}
const name = String(target['image.name']).split(',')[0];
require('node:fs').writeFileSync('/tmp/image-ref', name + '@' + target['containerimage.digest']);
`;

export interface BakeOptions {
  /** The environment whose registry the images are pushed to (credentials: the pod's Workload Identity). */
  readonly env: 'dev' | 'staging' | 'prod';
  /** The environment's registry prefix the images are pushed under (`europe-docker.pkg.dev/acme-ci/shop-staging`). */
  readonly registry: string;
}

/** The bake step: pushes `targets` to the environment's registry; outputs bake's metadata (JSON, per target). */
export function bakePush(options: BakeOptions) {
  const login = registryLogin(options.env);
  return container('bake-push', {
    inputs: {
      context: param.string({ description: 'Directory holding the bake file(s).' }),
      targets: param.string({ description: 'The bake targets to build: one name, or a JSON list of names (built in one bake run).' }),
      tag: param.string({ description: 'Image tag, passed to the bake file as the TAG variable.' }),
    },
    outputs: { metadata: output.json('/tmp/metadata.json', { description: 'Bake metadata: per target, image.name and containerimage.digest.' }) },
    container: (i) => ({
      image: IMAGES.dockerCli,
      command: ['sh', '-c', BAKE, 'bake'],
      args: [i.context, options.registry],
      env: { TAG: i.tag, TARGETS: i.targets, DOCKER_CONFIG: '/home/user/.docker' },
      volumeMounts: [
        { name: 'workspace', mountPath: WORKSPACE, readOnly: true },
        // buildx keeps its builder state under DOCKER_CONFIG: the writable emptyDir registry-login filled.
        { name: 'docker-config', mountPath: '/home/user/.docker' },
      ],
      resources: { requests: { cpu: '200m', memory: '256Mi' } },
    }),
    fields: {
      sidecars: [
        {
          name: 'buildkitd',
          image: IMAGES.buildkit,
          args: ['--addr', 'tcp://0.0.0.0:1234', '--oci-worker-no-process-sandbox'],
          securityContext: { runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'Unconfined' }, appArmorProfile: { type: 'Unconfined' } },
          readinessProbe: { tcpSocket: { port: 1234 }, periodSeconds: 2 },
          resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { memory: '6Gi' } },
          volumeMounts: [{ name: 'buildkit-state', mountPath: '/home/user/.local/share/buildkit' }],
        },
      ],
      volumes: [
        { name: 'buildkit-state', emptyDir: {} },
        ...login.volumes,
      ],
      initContainers: login.initContainers,
      activeDeadlineSeconds: 5400,
    },
  });
}

/** Picks one target's `image@digest` out of bake's metadata. */
export const pickBakeImage = script('pick-bake-image', {
  inputs: { metadata: param.json(), target: param.string() },
  outputs: { imageRef: output.path('/tmp/image-ref') },
  script: (i) => ({
    image: RUNTIME_IMAGE,
    command: ['node'],
    source: PICK,
    env: { METADATA: i.metadata, TARGET: i.target },
    resources: { requests: { cpu: '50m', memory: '64Mi' } },
  }),
});

/** Bake a group and return the pushed reference of `target` (`registry/repo:tag@sha256:…`). */
export function bakeBuild(options: BakeOptions) {
  const push = bakePush(options);
  return dag(
    'bake-build',
    {
      inputs: { context: param.string(), target: param.string(), tag: param.string() },
      outputs: { imageRef: output.returned() },
    },
    (d, i) => {
      const bake = d.task('bake', push.call({ context: i.context, targets: i.target, tag: i.tag }));
      const pick = d.task('pick', pickBakeImage.call({ metadata: bake.outputs.metadata, target: i.target }));
      return { imageRef: pick.outputs.imageRef };
    },
  );
}
