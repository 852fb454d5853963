// A rootless BuildKit image build from a Dockerfile, pushed to a registry, with the pushed digest as
// output. BuildKit runs daemonless as user 1000 without privileges (seccomp and AppArmor unconfined, as
// BuildKit's rootless Kubernetes example does). Every event-derived value is an argv element.
import { container, output, param } from '@argots/dsl';
import { IMAGES, WORKSPACE, registryLogin } from './org.js';

const BUILD = [
  'set -eu',
  'buildctl-daemonless.sh build --frontend dockerfile.v0 \\',
  '  --local context="$1" --local dockerfile="$1" --opt filename="$2" \\',
  '  --output type=image,name="$3",push=true --metadata-file /tmp/metadata.json',
  'digest=$(sed -n \'s/.*"containerimage.digest": *"\\(sha256:[0-9a-f]\\{64\\}\\)".*/\\1/p\' /tmp/metadata.json | head -n 1)',
  'test -n "$digest"',
  'printf %s "$digest" > /tmp/digest',
  'printf %s@%s "$3" "$digest" > /tmp/image-ref',
].join('\n');

export interface BuildkitOptions {
  /** The template's name (default `buildkit-build`). */
  readonly name?: string;
  /** The environment whose registry the image is pushed to (credentials: the pod's Workload Identity). */
  readonly env: 'dev' | 'staging' | 'prod';
}

/**
 * A rootless BuildKit build of `context` with `dockerfile`, pushed as `image` (`registry/repo:tag`).
 * Outputs `digest` (`sha256:…`) and `imageRef` (`registry/repo:tag@sha256:…`).
 */
export function buildkitBuild(options: BuildkitOptions) {
  const login = registryLogin(options.env);
  return container(options.name ?? 'buildkit-build', {
    inputs: {
      context: param.string({ description: 'Build context, a directory of the checkout.' }),
      dockerfile: param.string({ default: 'Dockerfile', description: 'Dockerfile path, relative to the context.' }),
      image: param.string({ description: 'Image to push, registry/repository:tag.' }),
    },
    outputs: {
      digest: output.path('/tmp/digest', { description: 'Digest of the pushed image.' }),
      imageRef: output.path('/tmp/image-ref', { description: 'registry/repository:tag@sha256:… of the pushed image.' }),
    },
    container: (i) => ({
      image: IMAGES.buildkit,
      command: ['sh', '-c', BUILD, 'build'],
      args: [i.context, i.dockerfile, i.image],
      env: { BUILDKITD_FLAGS: '--oci-worker-no-process-sandbox', HOME: '/home/user' },
      securityContext: {
        runAsUser: 1000,
        runAsGroup: 1000,
        seccompProfile: { type: 'Unconfined' },
        appArmorProfile: { type: 'Unconfined' },
      },
      resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { memory: '4Gi' } },
      volumeMounts: [
        { name: 'workspace', mountPath: WORKSPACE, readOnly: true },
        { name: 'buildkit-state', mountPath: '/home/user/.local/share/buildkit' },
        { name: 'docker-config', mountPath: '/home/user/.docker', readOnly: true },
      ],
    }),
    fields: {
      initContainers: login.initContainers,
      volumes: [{ name: 'buildkit-state', emptyDir: {} }, ...login.volumes],
      activeDeadlineSeconds: 3600,
      retryStrategy: { limit: 1, retryPolicy: 'OnError' },
    },
  });
}
