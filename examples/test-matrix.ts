// A Workflow (one run, `generateName`) built from a steps template, the way Argo's own examples are: a
// script decides how much to test, then one parallel group runs either the full matrix (`withItems` over
// objects, `item.get(...)`) or the quick suite, chosen by `when` on the script's result. A flaky suite is
// retried by an expression, tests run next to a database sidecar, may fail without failing the run (`continueOn`), and a lifecycle hook and a
// step exit handler report on it. The workflow has a deadline, a priority and a workflow-level hook.
import { container, param, script, stepsTemplate, workflow } from '@argots/dsl';

const decide = script('decide-scope', {
  inputs: { changedFiles: param.number({ default: 12, description: 'How many files the change touches.' }) },
  script: (i) => ({
    image: 'python:3.12-alpine',
    command: ['python'],
    env: { CHANGED: i.changedFiles },
    source: 'import os\nprint("full" if int(os.environ["CHANGED"]) > 10 else "quick")\n',
  }),
});

const suite = container('test-suite', {
  inputs: {
    node: param.enum(['20', '22'], { description: 'Node.js major version.' }),
    os: param.string({ default: 'alpine', description: 'Base image flavour.' }),
    suite: param.enum(['unit', 'integration', 'e2e'], { default: 'unit' }),
  },
  container: (i) => ({
    image: 'ghcr.io/acme/shop-test-runner:2024.11',
    args: ['--node', i.node, '--os', i.os, '--suite', i.suite],
    env: { DATABASE_URL: 'postgres://test:test@localhost:5432/shop' },
    resources: { requests: { cpu: '1', memory: '1Gi' } },
  }),
  fields: {
    // Integration suites talk to a throwaway database running next to them in the same pod.
    sidecars: [{ name: 'postgres', image: 'postgres:16-alpine', env: [{ name: 'POSTGRES_PASSWORD', value: 'test' }, { name: 'POSTGRES_USER', value: 'test' }, { name: 'POSTGRES_DB', value: 'shop' }], readinessProbe: { exec: { command: ['pg_isready'] } } }],
  },
});

const flaky = container('browser-tests', {
  container: { image: 'mcr.microsoft.com/playwright:v1.48.2-jammy', command: ['npx', 'playwright', 'test'] },
  fields: {
    retryStrategy: {
      limit: 3,
      retryPolicy: 'Always',
      expression: 'asInt(lastRetry.exitCode) != 2',
      backoff: { duration: '15s', factor: 2, maxDuration: '5m' },
    },
    activeDeadlineSeconds: 1200,
  },
});

const report = container('report', {
  inputs: { what: param.string() },
  container: (i) => ({ image: 'alpine:3.20', command: ['echo'], args: [i.what, '{{status}}'] }),
});

const matrix = stepsTemplate('test-matrix', {}, (s) => {
  const scope = s.step('decide', decide.call({ changedFiles: 14 }));
  s.parallel((g) => {
    g.step('full', (cell) => suite.call({ node: cell.get('node'), os: cell.get('os'), suite: 'integration' }), {
      withItems: [{ node: '20', os: 'alpine' }, { node: '22', os: 'alpine' }, { node: '22', os: 'bookworm' }],
      when: scope.result.eq('full'),
    });
    g.step('quick', suite.call({ node: '22' }), { when: scope.result.eq('quick') });
  });
  s.step('browser', flaky, {
    continueOn: { failed: true, error: true },
    onExit: report.call({ what: 'browser tests finished' }),
    hooks: { running: { template: report.call({ what: 'browser tests started' }), expression: 'steps.browser.status == "Running"' } },
  });
});

export default workflow({ generateName: 'test-matrix-' }, {
  entrypoint: matrix,
  activeDeadlineSeconds: 3600,
  priority: 10,
  serviceAccountName: 'ci-runner',
  hooks: { exit: { template: report.call({ what: 'test matrix done' }) } },
  podGC: { strategy: 'OnPodCompletion' },
  labels: { 'acme.io/team': 'shop' },
});
