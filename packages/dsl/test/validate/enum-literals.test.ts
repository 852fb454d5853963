// Enum literals checked against the IR, without tsc: a typo that only the type checker would catch (a cast,
// JavaScript, hand-written YAML) is an error at its TS line instead of YAML that can never match.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { container, lintYaml, output, param, pipeline, synth } from '@argots/dsl';

const detect = container('detect', {
  outputs: { kind: output.path('/tmp/kind', { enum: ['code', 'config', 'none'] }), note: output.path('/tmp/note') },
  container: () => ({ image: 'alpine:3.20', args: ['detect'] }),
});
const scan = container('scan', {
  inputs: { severity: param.enum(['low', 'high']), target: param.string() },
  container: (i) => ({ image: 'alpine:3.20', args: [i.severity, i.target] }),
});

function compile(value: unknown) {
  return synth([{ value, exportName: 'default', file: 'pipelines/enums.ts' }]);
}

test('a when comparing an enum output with a value outside it is ARG068 at the task line (== never, != always holds)', () => {
  const r = compile(pipeline('enums', (p) => {
    const d = p.task('detect', detect);
    p.task('build', scan.call({ severity: 'low', target: 'x' }), { when: d.outputs.kind.eq('cod' as never) });
    p.task('clean', scan.call({ severity: 'low', target: 'y' }), { when: d.outputs.kind.ne('Config' as never) });
    p.task('fine', scan.call({ severity: 'high', target: 'z' }), { when: d.outputs.note.eq('anything') });
  }));
  const found = r.diagnostics.filter((d) => d.code === 'ARG068');
  assert.equal(r.files, []);
  assert.is(found.length, 2, JSON.stringify(r.diagnostics));
  assert.match(found[0]!.message, 'task "build": when compares output "kind" of "detect" == "cod", but that output is one of "code", "config", "none": the condition is never true');
  assert.match(found[1]!.message, 'the condition is always true');
  assert.ok(found[0]!.source?.file.endsWith('enum-literals.test.ts'), JSON.stringify(found[0]!.source));
  assert.ok(found[0]!.hint);
});

test('a literal argument outside an input enum is ARG067 ("LOW" for low | high); valid ones and references pass', () => {
  const r = compile(pipeline('enums', (p) => {
    const d = p.task('detect', detect);
    p.task('scan', scan.call({ severity: 'LOW' as never, target: 'x' }));
    p.task('ok', scan.call({ severity: 'high', target: d.outputs.note }));
  }));
  const found = r.diagnostics.filter((d) => d.code === 'ARG067');
  assert.is(found.length, 1, JSON.stringify(r.diagnostics));
  assert.match(found[0]!.message, 'task "scan": argument "severity" must be one of the enum "low", "high" of template "scan", received "LOW"');
  assert.ok(found[0]!.source?.file.endsWith('enum-literals.test.ts'));
  const clean = compile(pipeline('enums', (p) => {
    const d = p.task('detect', detect);
    p.task('ok', scan.call({ severity: 'high', target: 'x' }), { when: d.outputs.kind.eq('code') });
  }));
  assert.equal(clean.diagnostics, []);
});

test('hand-written YAML: lint reports both (as warnings: Argo itself accepts them)', () => {
  const yaml = `apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: enums
spec:
  entrypoint: main
  templates:
    - name: main
      dag:
        tasks:
          - name: detect
            template: detect
          - name: scan
            template: scan
            depends: detect.Succeeded
            when: "'{{tasks.detect.outputs.parameters.kind}}' == 'cod'"
            arguments:
              parameters:
                - name: severity
                  value: LOW
    - name: detect
      container:
        image: alpine:3.20
      outputs:
        parameters:
          - name: kind
            valueFrom:
              path: /tmp/kind
            enum: [code, config, none]
    - name: scan
      inputs:
        parameters:
          - name: severity
            enum: [low, high]
      container:
        image: alpine:3.20
`;
  const { diagnostics } = lintYaml([{ path: 'wf.yaml', content: yaml }]);
  const mine = diagnostics.filter((d) => d.code === 'ARG067' || d.code === 'ARG068');
  assert.equal(mine.map((d) => `${d.code} ${d.severity} ${d.source?.line}`).sort(), ['ARG067 warning 20', 'ARG068 warning 16']);
});

test.run();
