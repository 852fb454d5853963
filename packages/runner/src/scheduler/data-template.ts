/**
 * `data` templates (docs/data-sourcing-and-transformation.md; `workflow/data/data.go` ProcessData,
 * `workflow/executor/data.go`): the source is `artifactPaths`, the list of object keys under an artifact
 * location (the artifact driver's ListObjects); each `transformation` step is an expr-lang expression over
 * `data` whose value replaces `data`; the result is `outputs.result`, the value as Go's encoding/json writes it.
 *
 * Argo lists only object stores (s3, gcs, oss, azure: every other driver answers "ListObjects is currently
 * not supported for this artifact type"). Here the buckets are folders: `--artifact-buckets DIR` makes
 * `DIR/<bucket>/<key>` stand for the object `<key>` of `<bucket>` (MinIO's file-system layout), and the keys
 * listed are the files under the key as a prefix, as full keys, sorted.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { evaluateExprLang, goJsonOf, parseExprLang } from '@argots/expr';
import type { RunNode } from '../model/node.js';
import type { Template } from '../model/workflow.js';
import { messageOf } from './workflow-run.js';
import type { WorkflowRun } from './workflow-run.js';

interface Location {
  readonly bucket?: string;
  readonly container?: string;
  readonly key?: string;
  readonly blob?: string;
}

export interface DataSpec {
  readonly source?: { readonly artifactPaths?: Readonly<Record<string, unknown>> & { readonly name?: string } };
  readonly transformation?: readonly { readonly expression?: string }[];
}

class DataError extends Error {}

const OBJECT_STORES = ['s3', 'gcs', 'oss', 'azure'] as const;
const OTHER_DRIVERS = ['git', 'http', 'raw', 'artifactory', 'hdfs', 'from'] as const;

/** The object keys of one artifactPaths location, read from the `--artifact-buckets` folder. */
function listObjects(run: WorkflowRun, art: Readonly<Record<string, unknown>>): string[] {
  const store = OBJECT_STORES.find((s) => art[s] !== undefined);
  if (!store) {
    if (OTHER_DRIVERS.some((d) => art[d] !== undefined)) throw new DataError('unable to source artifact paths: ListObjects is currently not supported for this artifact type, but it will be in a future version');
    throw new DataError('unable to source artifact paths: the artifact has no location (s3, gcs, oss or azure)');
  }
  const loc = art[store] as Location;
  const bucket = loc.bucket ?? loc.container;
  const key = loc.key ?? loc.blob ?? '';
  const root = run.options.artifactBuckets;
  if (root === undefined) throw new DataError(`unable to source artifact paths: ${store} bucket "${bucket ?? ''}" is not reachable from argots run (pass --artifact-buckets DIR, a folder with one folder per bucket, or swap the template with --replace-template)`);
  if (!bucket) throw new DataError(`unable to source artifact paths: the ${store} location names no bucket`);
  const bucketDir = resolve(root, bucket);
  const at = resolve(bucketDir, key);
  if (relative(resolve(root), bucketDir).startsWith('..') || relative(bucketDir, at).startsWith('..')) throw new DataError(`unable to source artifact paths: bucket "${bucket}" key "${key}" leaves the --artifact-buckets folder`);
  let stat;
  try {
    stat = statSync(at);
  } catch {
    return [];
  }
  if (stat.isFile()) return [key];
  const keys: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) keys.push(relative(bucketDir, full).split(sep).join('/'));
    }
  };
  walk(at);
  return keys.sort();
}

export async function executeData(run: WorkflowRun, node: RunNode, tmpl: Template, signal: AbortSignal): Promise<void> {
  run.markStarted(node);
  const spec = tmpl.data as DataSpec;
  try {
    const art = spec.source?.artifactPaths;
    if (!art) throw new DataError('unable to process data source: no valid source is used for data template');
    let data: unknown;
    try {
      data = listObjects(run, art);
    } catch (error) {
      throw new DataError(`unable to process data source: ${messageOf(error)}`);
    }
    for (const [i, step] of (spec.transformation ?? []).entries()) {
      if (!step.expression) continue;
      try {
        data = evaluateExprLang(parseExprLang(step.expression), { data });
      } catch (error) {
        throw new DataError(`unable to process data transformation: error processing data step ${i}: ${messageOf(error)}`);
      }
    }
    if (signal.aborted) {
      run.setPhase(node, 'Failed', run.stopReason ?? 'stopped');
      return;
    }
    const result = goJsonOf(data);
    node.outputs = { parameters: [], artifacts: [], result, exitCode: '0' };
    run.setPhase(node, 'Succeeded');
  } catch (error) {
    node.outputs = { parameters: [], artifacts: [], exitCode: '1' };
    run.setPhase(node, 'Failed', `unable to process data template: ${messageOf(error)}`);
  }
}
