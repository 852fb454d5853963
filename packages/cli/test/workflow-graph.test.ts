import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dependsTerms, workflowGraph } from '../src/_internal/graph/workflow-graph.js';
import { renderDot, renderMermaid } from '../src/_internal/graph/render-graph.js';

const template = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'WorkflowTemplate',
  metadata: { name: 'shop-api-dev' },
  spec: {
    entrypoint: 'main',
    templates: [
      {
        name: 'main',
        dag: {
          tasks: [
            { name: 'detect', template: 'detect' },
            { name: 'build', template: 'build', depends: 'detect.Succeeded', when: "{{tasks.detect.outputs.parameters.kind}} == 'code'" },
            { name: 'notify', templateRef: { name: 'ci', template: 'slack' }, depends: 'build.Failed || detect.Failed' },
            { name: 'scan', template: 'scan', dependencies: ['build'], withItems: ['a', 'b'] },
          ],
        },
      },
      { name: 'release', steps: [[{ name: 'approve', template: 'approve' }], [{ name: 'a', template: 'x' }, { name: 'b', template: 'y', when: '{{inputs.parameters.go}} == true' }]] },
      { name: 'detect', container: { image: 'alpine' } },
    ],
  },
};

test('a depends expression names its tasks with the results asked of each', () => {
  assert.equal([...dependsTerms('a.Succeeded && (b || c.Failed)')], [['a', ['Succeeded']], ['b', []], ['c', ['Failed']]]);
});

test('a dag becomes nodes and edges with depends results and when on the edges', () => {
  const g = workflowGraph(template);
  assert.is(g.entrypoint, 'main');
  const main = g.clusters[0]!;
  assert.equal(main.nodes.map((n) => n.name), ['detect', 'build', 'notify', 'scan']);
  assert.equal(main.edges, [
    { from: 'main/detect', to: 'main/build', label: "Succeeded; when {{tasks.detect.outputs.parameters.kind}} == 'code'" },
    { from: 'main/build', to: 'main/notify', label: 'build.Failed || detect.Failed' },
    { from: 'main/detect', to: 'main/notify', label: 'build.Failed || detect.Failed' },
    { from: 'main/build', to: 'main/scan', label: undefined },
  ]);
  assert.equal(main.nodes[2]!.runs, 'templateRef: ci/slack');
  assert.equal(main.nodes[3]!.notes, ['for each of 2 items']);
});

test('steps groups run in sequence: every step of a group follows every step of the group before', () => {
  const release = workflowGraph(template).clusters[1]!;
  assert.is(release.label, 'release (steps)');
  assert.equal(release.edges, [
    { from: 'release/0/approve', to: 'release/1/a', label: undefined },
    { from: 'release/0/approve', to: 'release/1/b', label: 'when {{inputs.parameters.go}} == true' },
  ]);
});

test('a CronWorkflow is drawn from its workflowSpec', () => {
  const g = workflowGraph({ kind: 'CronWorkflow', metadata: { name: 'nightly' }, spec: { schedule: '0 1 * * *', workflowSpec: template.spec } });
  assert.is(g.clusters.length, 2);
});

test('mermaid and dot sources quote labels and keep ids safe', () => {
  const g = workflowGraph(template);
  const mermaid = renderMermaid(g);
  assert.ok(mermaid.startsWith('flowchart TD\n'));
  assert.ok(mermaid.includes(`-->|"Succeeded; when {{tasks.detect.outputs.parameters.kind}} == 'code'"|`), mermaid);
  assert.not.match(mermaid, /\[[^\]"]*"[^\]"]*"[^\]"]*"/, 'no unescaped quotes inside a label');
  const dot = renderDot(g);
  assert.match(dot, /^digraph "shop-api-dev" \{/);
  assert.ok(dot.includes('"main/build" -> "main/notify" [label="build.Failed || detect.Failed"];'), dot);
  assert.ok(dot.includes('subgraph "cluster_main" {'));
});

test.run();
