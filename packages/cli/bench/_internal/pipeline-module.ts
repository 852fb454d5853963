/**
 * A pipeline module of `tasks` container tasks over five templates: each task reads the output of the one
 * before (a typed data edge), every third also depends on the one two back, every fifth has a `when`.
 * `image` is the image of the tasks (the watch measurement edits it).
 */
export function pipelineModule(name: string, tasks: number, image = 'alpine:3.20'): string {
  const lines = [
    "import { and, container, output, param, pipeline } from '@argots/dsl';",
    '',
  ];
  for (let k = 0; k < 5; k += 1) {
    lines.push(
      `const step${k} = container('step-${k}', {`,
      '  inputs: { n: param.string(), upstream: param.string() },',
      "  outputs: { digest: output.path('/tmp/out') },",
      `  container: (i) => ({ image: '${image}', command: ['sh', '-c', 'echo "$0 $1" | sha256sum > /tmp/out'], args: [i.n, i.upstream], resources: { requests: { cpu: '${k + 1}00m', memory: '64Mi' } } }),`,
      '});',
    );
  }
  lines.push('', `export default pipeline('${name}', (p) => {`, "  const sha = p.param('sha', param.string({ description: 'The commit to build.' }));");
  for (let t = 0; t < tasks; t += 1) {
    const id = `t${String(t).padStart(2, '0')}`;
    const upstream = t === 0 ? 'sha' : `t${String(t - 1).padStart(2, '0')}.outputs.digest`;
    const options: string[] = [];
    if (t >= 2 && t % 3 === 0) options.push(`depends: and(t${String(t - 1).padStart(2, '0')}.succeeded, t${String(t - 2).padStart(2, '0')}.succeeded)`);
    if (t > 0 && t % 5 === 0) options.push(`when: t${String(t - 1).padStart(2, '0')}.outputs.digest.ne('skip')`);
    lines.push(`  const ${id} = p.task('${id}', step${t % 5}.call({ n: '${t}', upstream: ${upstream} })${options.length > 0 ? `, { ${options.join(', ')} }` : ''});`);
  }
  lines.push(`  void t${String(tasks - 1).padStart(2, '0')};`, '});', '');
  return lines.join('\n');
}
