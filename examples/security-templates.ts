// A ClusterWorkflowTemplate: security scans shared by every namespace, called from other pipelines with
// `templateRef({ clusterScope: true })`. Shows template inputs with defaults and descriptions, output
// artifacts to S3 and GCS with archive options, memoize, a retryStrategy with an expression, and
// Prometheus metrics on a template.
import { artifact, clusterWorkflowTemplate, container, output, param } from '@argots/dsl';
import { trivyScan } from '../pipelines/lib/trivy.js';

/** trivy: fails on HIGH/CRITICAL; the JSON report is kept whatever the outcome. */
const trivy = trivyScan({ registrySecret: 'registry-read' }).with({
  metrics: {
    prometheus: [
      {
        name: 'security_scan_failed_total',
        help: 'Image scans that found HIGH or CRITICAL vulnerabilities.',
        labels: [{ key: 'template', value: 'trivy-scan' }],
        when: '{{status}} == Failed',
        counter: { value: '1' },
      },
      {
        name: 'security_scan_duration_seconds',
        help: 'How long a scan took.',
        histogram: { value: '{{duration}}', buckets: [30, 60, 120, 300] },
      },
    ],
  },
});

/** syft: an SPDX SBOM of the image, memoized per digest (one SBOM per image, ever), stored in GCS. */
const sbom = container('sbom', {
  inputs: {
    image: param.string({ description: 'The image, by digest.' }),
    format: param.enum(['spdx-json', 'cyclonedx-json'], { default: 'spdx-json', description: 'SBOM format.' }),
  },
  outputs: {
    sbom: artifact({
      path: '/tmp/sbom.json',
      gcs: { bucket: 'acme-sboms', key: 'sboms/{{workflow.uid}}/sbom.json.tgz', serviceAccountKeySecret: { name: 'gcs-sbom-writer', key: 'key.json' } },
      archive: { tar: { compressionLevel: 9 } },
    }),
    packages: output.path('/tmp/package-count', { default: '0', description: 'Packages found in the image.' }),
  },
  container: (i) => ({
    image: 'anchore/syft:v1.14.0',
    args: ['scan', i.image, '--output', `${'{{inputs.parameters.format}}'}=/tmp/sbom.json`],
    securityContext: { runAsNonRoot: true, runAsUser: 65532, allowPrivilegeEscalation: false },
  }),
  fields: {
    memoize: { key: '{{inputs.parameters.image}}-{{inputs.parameters.format}}', maxAge: '720h', cache: { configMap: { name: 'sbom-memo' } } },
    retryStrategy: { limit: 3, retryPolicy: 'Always', expression: 'lastRetry.status == "Error" or asInt(lastRetry.exitCode) == 137' },
  },
});

/** The license report, archived to S3 uncompressed (readable in the Argo UI). */
const licenses = container('license-report', {
  inputs: { image: param.string({ description: 'The image, by digest.' }) },
  outputs: {
    report: artifact({
      path: '/tmp/licenses.csv',
      s3: { endpoint: 's3.eu-west-1.amazonaws.com', bucket: 'acme-compliance', key: 'licenses/{{workflow.name}}.csv', accessKeySecret: { name: 's3-compliance', key: 'access-key' }, secretKeySecret: { name: 's3-compliance', key: 'secret-key' } },
      archive: { none: {} },
    }),
  },
  container: (i) => ({ image: 'ghcr.io/acme/license-scanner:2.3.1', args: ['--image', i.image, '--csv', '/tmp/licenses.csv'] }),
});

export default clusterWorkflowTemplate('security-scans', {
  templates: [trivy, sbom, licenses],
  labels: { 'acme.io/owner': 'security' },
});
