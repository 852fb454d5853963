// A CronWorkflow (schedule, time zone, concurrency policy, starting deadline, history limits) that runs a
// WorkflowTemplate by reference (`workflowTemplateRef`). The template is a steps template: a script lists
// stale image repositories, a parallel group fans out over them (`withParam`) and over shards
// (`withSequence`), a semaphore limits concurrent registry clean-ups cluster-wide, and the workflow caps its
// own parallelism.
import { cronWorkflow, output, param, script, stepsTemplate, container, workflowTemplate } from '@argots/dsl';

const listStale = script('list-stale-repositories', {
  inputs: { olderThanDays: param.number({ default: 30, description: 'Untagged manifests older than this are deleted.' }) },
  outputs: { repositories: output.json('/tmp/repositories.json', { description: 'A JSON list of repository names.' }) },
  script: (i) => ({
    image: 'python:3.12-alpine',
    command: ['python'],
    env: { OLDER_THAN_DAYS: i.olderThanDays },
    source: [
      'import json, os',
      'days = int(os.environ["OLDER_THAN_DAYS"])',
      'repos = ["shop/shop-api", "shop/shop-web", "shop/worker"]',
      'json.dump(repos, open("/tmp/repositories.json", "w"))',
      'print(f"{len(repos)} repositories older than {days} days")',
    ].join('\n'),
  }),
});

const cleanRepository = container('clean-repository', {
  inputs: { repository: param.string(), dryRun: param.boolean({ default: false }) },
  container: (i) => ({
    image: 'ghcr.io/acme/registry-janitor:1.8.0',
    args: ['--repository', i.repository, '--dry-run', i.dryRun],
    resources: { requests: { cpu: '100m', memory: '64Mi' } },
  }),
  fields: {
    synchronization: { semaphores: [{ configMapKeyRef: { name: 'registry-limits', key: 'janitors' } }] },
    retryStrategy: { limit: 4, retryPolicy: 'OnFailure', backoff: { duration: '30s', factor: 2, maxDuration: '10m' } },
  },
});

const compactShard = container('compact-shard', {
  inputs: { shard: param.string({ description: 'Shard number (withSequence items are text).' }) },
  container: (i) => ({ image: 'ghcr.io/acme/registry-janitor:1.8.0', args: ['compact', '--shard', i.shard] }),
});

const maintenance = stepsTemplate('maintenance', {}, (s) => {
  const stale = s.step('list', listStale);
  s.parallel((g) => {
    g.step('clean', (repository) => cleanRepository.call({ repository }), { withParam: stale.outputs.repositories, continueOn: { failed: true } });
    g.step('compact', (shard) => compactShard.call({ shard }), { withSequence: { count: '4' } });
  });
});

/** The template the CronWorkflow runs; also runnable by hand (`argo submit --from workflowtemplate/registry-maintenance`). */
export const registryMaintenance = workflowTemplate('registry-maintenance', {
  entrypoint: maintenance,
  parallelism: 4,
  serviceAccountName: 'registry-janitor',
  podGC: { strategy: 'OnWorkflowSuccess' },
});

export default cronWorkflow('nightly-registry-maintenance', {
  schedules: ['0 3 * * *'],
  timezone: 'Europe/Paris',
  concurrencyPolicy: 'Forbid',
  startingDeadlineSeconds: 600,
  successfulJobsHistoryLimit: 3,
  failedJobsHistoryLimit: 5,
  workflowTemplateRef: registryMaintenance,
  ttlStrategy: { secondsAfterCompletion: 172800 },
  labels: { 'acme.io/team': 'platform' },
});
