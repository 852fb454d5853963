// A trivy vulnerability scan that fails the step on HIGH or CRITICAL findings, keeping the JSON report
// as an output artifact either way.
import { artifact, container, env, param } from '@argots/dsl';
import { IMAGES } from './org.js';

export interface TrivyOptions {
  /** The template's name (default `trivy-scan`). */
  readonly name?: string;
  /** A Secret with `username` and `password` keys for the registry the image is in. */
  readonly registrySecret: string;
}

/** Scans `image` (a digest reference); exits 1 on HIGH/CRITICAL vulnerabilities. Outputs the `report` artifact. */
export function trivyScan(options: TrivyOptions) {
  return container(options.name ?? 'trivy-scan', {
    inputs: {
      image: param.string({ description: 'The image to scan, by digest.' }),
      severity: param.string({ default: 'HIGH,CRITICAL', description: 'Severities that fail the scan.' }),
    },
    outputs: { report: artifact({ path: '/tmp/trivy.json', archive: { none: {} }, optional: true }) },
    container: (i) => ({
      image: IMAGES.trivy,
      args: ['image', '--no-progress', '--exit-code', '1', '--severity', i.severity, '--ignore-unfixed', '--format', 'json', '--output', '/tmp/trivy.json', i.image],
      env: {
        TRIVY_USERNAME: env.secret(options.registrySecret, 'username'),
        TRIVY_PASSWORD: env.secret(options.registrySecret, 'password'),
        TRIVY_CACHE_DIR: '/tmp/trivy-cache',
      },
      resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '2Gi' } },
      securityContext: { runAsNonRoot: true, runAsUser: 65532, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    }),
    fields: { retryStrategy: { limit: 2, retryPolicy: 'OnError' }, activeDeadlineSeconds: 900 },
  });
}
