/**
 * The run's local artifact store (in place of S3/GCS): each output artifact is a file or folder under
 * `<run>/artifacts/<node>/<name>`; input artifacts come from there, or from their `raw`, `http` or `git` source.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import type { Artifact } from '../model/workflow.js';

const run = promisify(execFile);

export class ArtifactError extends Error {
  override readonly name = 'ArtifactError';
}

/** Materialises an artifact's source at `dest` (a file or folder). Returns false when it has no source. */
export async function fetchArtifact(art: Artifact, dest: string, signal: AbortSignal): Promise<boolean> {
  mkdirSync(dirname(dest), { recursive: true });
  if (art.from !== undefined && art.from !== '') {
    if (!existsSync(art.from)) throw new ArtifactError(`artifact "${art.name}": ${art.from} does not exist in the run's artifact store`);
    cpSync(art.from, dest, { recursive: true });
    return true;
  }
  if (art.raw) {
    writeFileSync(dest, art.raw.data);
    return true;
  }
  if (art.http) {
    const headers: Record<string, string> = {};
    for (const h of art.http.headers ?? []) headers[h.name] = h.value;
    let response: Response;
    try {
      response = await fetch(art.http.url, { headers, signal });
    } catch (error) {
      throw new ArtifactError(`artifact "${art.name}": GET ${art.http.url} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!response.ok) throw new ArtifactError(`artifact "${art.name}": GET ${art.http.url} answered ${response.status} ${response.statusText}`);
    writeFileSync(dest, Buffer.from(await response.arrayBuffer()));
    return true;
  }
  if (art.git) {
    const args = ['clone', '--quiet'];
    if (art.git.depth) args.push('--depth', String(art.git.depth));
    if (art.git.singleBranch && art.git.branch) args.push('--single-branch', '--branch', art.git.branch);
    args.push('--', art.git.repo, dest);
    try {
      await run('git', args, { signal, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
      if (art.git.revision) await run('git', ['-C', dest, 'checkout', '--quiet', art.git.revision, '--'], { signal });
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? (error instanceof Error ? error.message : String(error));
      throw new ArtifactError(`artifact "${art.name}": git clone of ${art.git.repo}${art.git.revision ? ` at ${art.git.revision}` : ''} failed: ${stderr.trim()}`);
    }
    return true;
  }
  if (art.s3 || art.gcs || art.oss || art.azure || art.hdfs || art.artifactory) {
    throw new ArtifactError(`artifact "${art.name}": s3, gcs, oss, azure, hdfs and artifactory locations are not reachable from argots run; pass it with from:, raw:, http: or git:`);
  }
  return false;
}
