#!/usr/bin/env node
// Images pinned by digest: checks the rendered platform, and pins the org's image table.
//
//   node scripts/pin-images.mjs check [kustomize-dir...]        (default: deploy)
//     Renders each directory with `kubectl kustomize` and refuses (exit 1) every container image, init
//     container, sidecar or Argo template image that is not `name[:tag]@sha256:<64 hex>`, naming the document
//     and the field. A templated image (`{{…}}`, decided at run time) is reported as such, never accepted.
//
//   node scripts/pin-images.mjs resolve [key...] [--table FILE] [--tls-verify=false]
//     For each entry of the IMAGES table (default pipelines/lib/org.ts; all entries unless keys are given),
//     reads the tag's current manifest with `skopeo inspect --raw` and writes `name:tag@sha256:<sha256 of those
//     bytes>` (the digest a registry serves for the tag: the index for a multi-platform image). Needs a
//     registry that is reachable; nothing is written unless every asked entry resolved.
//
//   node scripts/pin-images.mjs set key=name:tag@sha256:<digest> [--table FILE]
//     Records a digest you obtained yourself (the runtime image: the reference build-runtime-image.ts prints).
//
// After resolve or set: `pnpm compile` (the compiled pipelines and deploy/pipelines carry the new references).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { relative, resolve as resolvePath } from 'node:path';
import { parseAllDocuments } from 'yaml';

const ROOT = new URL('..', import.meta.url).pathname;
const DEFAULT_TABLE = 'pipelines/lib/org.ts';
const PINNED = /^[^@\s]+@sha256:[0-9a-f]{64}$/;

class UsageError extends Error {}

/** `{ key: reference }` of the `export const IMAGES = { … } as const;` block of a table file, with where each line is. */
export function readTable(text, file) {
  const start = text.indexOf('export const IMAGES = {');
  const end = start === -1 ? -1 : text.indexOf('} as const;', start);
  if (start === -1 || end === -1) throw new UsageError(`${file}: no "export const IMAGES = { … } as const;" block (expected the org's image table)`);
  const entries = new Map();
  for (const m of text.slice(start, end).matchAll(/^\s*([A-Za-z_$][\w$]*): '([^'\n]*)',\s*$/gm)) entries.set(m[1], m[2]);
  return { entries, start, end };
}

function writeTable(text, table, updates) {
  let block = text.slice(table.start, table.end);
  for (const [key, reference] of updates) {
    const line = new RegExp(`^(\\s*${key.replace(/\$/g, '\\$')}: )'[^'\\n]*',`, 'm');
    block = block.replace(line, (_, prefix) => `${prefix}'${reference}',`);
  }
  return text.slice(0, table.start) + block + text.slice(table.end);
}

const withoutDigest = (reference) => reference.replace(/@sha256:[0-9a-f]{64}$/, '');

/** Every `image` a rendered document runs, with where: containers, init containers, sidecars, Argo templates. */
export function imagesOf(document) {
  const found = [];
  const visit = (value, path) => {
    if (Array.isArray(value)) return value.forEach((v, i) => visit(v, `${path}[${v && typeof v === 'object' && typeof v.name === 'string' ? v.name : i}]`));
    if (!value || typeof value !== 'object') return;
    for (const [key, v] of Object.entries(value)) {
      if (key === 'image' && typeof v === 'string') found.push({ image: v, path: `${path}.image` });
      else visit(v, path ? `${path}.${key}` : key);
    }
  };
  visit(document, '');
  return found;
}

/** The unpinned images of the rendered kustomize directories: `[{ image, where, templated }]`. */
export function unpinnedImages(dirs) {
  const problems = [];
  for (const dir of dirs) {
    let rendered;
    try {
      rendered = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      throw new UsageError(`kubectl kustomize ${dir} failed: ${String(e.stderr ?? e.message).trim()}`);
    }
    for (const doc of parseAllDocuments(rendered)) {
      const value = doc.toJS();
      if (!value || typeof value !== 'object') continue;
      const subject = `${value.kind ?? '?'}/${value.metadata?.name ?? '?'}`;
      for (const { image, path } of imagesOf(value)) {
        if (!PINNED.test(image)) problems.push({ image, where: `${relative(ROOT, resolvePath(dir)) || '.'}: ${subject} ${path}`, templated: image.includes('{{') });
      }
    }
  }
  return problems;
}

function check(dirs) {
  const problems = unpinnedImages(dirs.length > 0 ? dirs : [resolvePath(ROOT, 'deploy')]);
  const byImage = new Map();
  for (const p of problems) byImage.set(p.image, [...(byImage.get(p.image) ?? []), p]);
  for (const [image, places] of byImage) {
    console.error(`✖ IMG001 image "${image}" is not pinned by digest (expected name:tag@sha256:<64 hex digits>)`);
    for (const p of places.slice(0, 3)) console.error(`  → at ${p.where}`);
    if (places.length > 3) console.error(`  → and ${places.length - 3} more place(s)`);
    console.error(places[0].templated
      ? '  hint: a templated image is decided at run time; pass a pinned reference as its value, or pin the template'
      : `  hint: pin it in ${DEFAULT_TABLE} IMAGES (node scripts/pin-images.mjs resolve, where its registry is reachable), then pnpm compile`);
  }
  const distinct = byImage.size;
  console.log(problems.length === 0 ? 'every image is pinned by digest' : `${distinct} image(s) not pinned by digest, in ${problems.length} place(s)`);
  return problems.length === 0 ? 0 : 1;
}

function tableArgs(args) {
  const rest = [];
  let table = resolvePath(ROOT, DEFAULT_TABLE);
  let tlsVerify = true;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--table') table = resolvePath(args[++i] ?? '');
    else if (a.startsWith('--table=')) table = resolvePath(a.slice('--table='.length));
    else if (a === '--tls-verify=false') tlsVerify = false;
    else if (a.startsWith('--')) throw new UsageError(`unknown option "${a}" (expected --table FILE or --tls-verify=false)`);
    else rest.push(a);
  }
  return { table, tlsVerify, rest };
}

function resolve(args) {
  const { table: file, tlsVerify, rest } = tableArgs(args);
  const text = readFileSync(file, 'utf8');
  const table = readTable(text, file);
  const unknown = rest.filter((k) => !table.entries.has(k));
  if (unknown.length > 0) throw new UsageError(`no image "${unknown.join('", "')}" in ${relative(ROOT, file)} (it has ${[...table.entries.keys()].join(', ')})`);
  const keys = rest.length > 0 ? rest : [...table.entries.keys()];
  const updates = new Map();
  const failures = [];
  for (const key of keys) {
    const tagged = withoutDigest(table.entries.get(key));
    try {
      const raw = execFileSync('skopeo', ['inspect', '--raw', ...(tlsVerify ? [] : ['--tls-verify=false']), `docker://${tagged}`], { maxBuffer: 16 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
      updates.set(key, `${tagged}@sha256:${createHash('sha256').update(raw).digest('hex')}`);
    } catch (e) {
      failures.push(`${key} (${tagged}): ${String(e.stderr ?? e.message).trim().split('\n').pop()}`);
    }
  }
  if (failures.length > 0) {
    for (const f of failures) console.error(`✖ IMG002 could not read the manifest of ${f}`);
    console.error(`  hint: resolve needs the image's registry (and skopeo's credentials for it); ${relative(ROOT, file)} is unchanged`);
    return 1;
  }
  return record(file, text, table, updates);
}

function set(args) {
  const { table: file, rest } = tableArgs(args);
  const text = readFileSync(file, 'utf8');
  const table = readTable(text, file);
  const updates = new Map();
  for (const pair of rest) {
    const eq = pair.indexOf('=');
    const key = pair.slice(0, eq);
    const reference = pair.slice(eq + 1);
    if (eq <= 0 || !table.entries.has(key)) throw new UsageError(`"${pair}": expected key=reference with a key of ${relative(ROOT, file)} (${[...table.entries.keys()].join(', ')})`);
    if (!PINNED.test(reference)) throw new UsageError(`"${reference}" is not pinned by digest (expected name:tag@sha256:<64 hex digits>)`);
    updates.set(key, reference);
  }
  if (updates.size === 0) throw new UsageError('set: nothing to set (expected key=name:tag@sha256:<digest>)');
  return record(file, text, table, updates);
}

function record(file, text, table, updates) {
  for (const [key, reference] of updates) {
    const before = table.entries.get(key);
    console.log(before === reference ? `${key}: ${reference} (unchanged)` : `${key}: ${before} → ${reference}`);
  }
  const next = writeTable(text, table, updates);
  if (next !== text) {
    writeFileSync(file, next);
    console.log(`wrote ${relative(ROOT, file)}; run pnpm compile to carry the references into the compiled pipelines`);
  }
  return 0;
}

const USAGE = 'usage: node scripts/pin-images.mjs check [kustomize-dir...] | resolve [key...] [--table FILE] [--tls-verify=false] | set key=name:tag@sha256:<digest> [--table FILE]';

if (import.meta.url === `file://${process.argv[1]}`) {
  const [command, ...args] = process.argv.slice(2);
  try {
    if (command === 'check') process.exit(check(args));
    if (command === 'resolve') process.exit(resolve(args));
    if (command === 'set') process.exit(set(args));
    console.error(command === undefined ? USAGE : `✖ unknown command "${command}"\n${USAGE}`);
    process.exit(1);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`✖ ${e.message}`);
    process.exit(1);
  }
}
