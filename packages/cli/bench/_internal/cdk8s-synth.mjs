// Reference (b) of compile.bench.ts: cdk8s synth of the same objects — one Chart per object with one
// ApiObject in a cdk8s App, synthesised to YAML files on disk.
// Usage: node cdk8s-synth.mjs objects.json OUT_DIR
import { readFileSync } from 'node:fs';
import { ApiObject, App, Chart } from 'cdk8s';

const [objectsFile, outDir] = process.argv.slice(2);
const objects = JSON.parse(readFileSync(objectsFile, 'utf8'));
const app = new App({ outdir: outDir });
objects.forEach((o, i) => {
  const chart = new Chart(app, `c${i}`);
  new ApiObject(chart, 'o', o);
});
app.synth();
