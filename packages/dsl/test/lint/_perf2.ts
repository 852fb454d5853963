import { validateResources } from '../../src/validate/index.js';
function wt(i: number) {
  const tasks = Array.from({ length: 25 }, (_, t) => ({
    name: `t${t}x`, template: 'run', ...(t > 0 ? { depends: `t${t - 1}x` } : {}),
    arguments: { parameters: [{ name: 'msg', value: t > 0 ? `{{tasks.t${t - 1}x.outputs.parameters.out}}` : '{{workflow.parameters.p}}' }] },
  }));
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'WorkflowTemplate', metadata: { name: `wt-${i}` }, spec: {
    entrypoint: 'main', arguments: { parameters: [{ name: 'p', value: 'x' }] },
    templates: [{ name: 'main', dag: { tasks } }, { name: 'run', inputs: { parameters: [{ name: 'msg' }] }, outputs: { parameters: [{ name: 'out', valueFrom: { path: '/tmp/out' } }] },
      container: { image: 'alpine:3', command: ['sh', '-c'], args: ['echo {{inputs.parameters.msg}} > /tmp/out'], resources: { limits: { cpu: '1', memory: '1Gi' } }, env: [{ name: 'A', value: 'b' }] } }],
  } };
}
const objs = Array.from({ length: 1000 }, (_, i) => wt(i));
for (let i = 0; i < 4; i++) { const t0 = performance.now(); const d = validateResources(objs); console.log('1000x25', d.length, (performance.now() - t0).toFixed(0), 'ms'); }
