// The floor of compile.bench.ts: read the objects and write one file each with JSON.stringify (JSON is YAML).
// Nothing is loaded, built or validated: no tool that writes these files can be faster in a fresh process.
// Usage: node json-floor.mjs objects.json OUT_DIR
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [objectsFile, outDir] = process.argv.slice(2);
const objects = JSON.parse(readFileSync(objectsFile, 'utf8'));
mkdirSync(outDir, { recursive: true });
objects.forEach((o, i) => writeFileSync(join(outDir, `${i}.yaml`), `${JSON.stringify(o, null, 2)}\n`));
