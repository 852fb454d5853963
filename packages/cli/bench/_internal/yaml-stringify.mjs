// Reference (a) of compile.bench.ts: the same objects serialised with `yaml`'s stringify alone, one file each.
// Usage: node yaml-stringify.mjs objects.json OUT_DIR
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

const [objectsFile, outDir] = process.argv.slice(2);
const objects = JSON.parse(readFileSync(objectsFile, 'utf8'));
mkdirSync(outDir, { recursive: true });
objects.forEach((o, i) => writeFileSync(join(outDir, `${i}.yaml`), stringify(o)));
