/**
 * Runs `helm` or `kubectl` (found on PATH) to render manifests, with clear errors: a missing tool is RUN770,
 * a failed render RUN771 (with the tool's own message). Arguments never pass through a shell.
 *
 * ```ts
 * const yaml = await renderTool('kubectl', ['kustomize', '/tmp/gitops/apps/api/overlays/dev'], 'apps/api/overlays/dev');
 * ```
 */
import { execFile } from 'node:child_process';
import { RuntimeError } from '../runtime-error.js';
import { shorten } from '../redact.js';

export type RenderToolName = 'helm' | 'kubectl';

export interface RenderToolOptions {
  readonly cwd?: string;
  /** What is rendered, for messages (`chart "charts/web" of service "web" in "dev"`). */
  readonly what: string;
  readonly timeoutMs?: number;
}

/** The tool's standard output. */
export function renderTool(tool: RenderToolName, args: readonly string[], options: RenderToolOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      tool,
      [...args],
      { cwd: options.cwd, timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 << 20, env: { ...process.env, HELM_NO_PLUGINS: '1' } },
      (error, stdout, stderr) => {
        if (!error) {
          resolve(stdout);
          return;
        }
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') {
          reject(new RuntimeError('RUN770', `update-manifests renders what it edits, and "${tool}" was not found on PATH (needed to render ${options.what})`, {
            hint: `install ${tool} (scripts/setup.sh installs kubectl and helm; the argots runtime image has both), or set render: false for this service in the layout file to skip the check`,
          }));
          return;
        }
        const said = (stderr || error.message).trim().split('\n').filter((l) => l.trim() !== '').slice(0, 6).join('\n');
        const command = tool === 'helm' ? 'helm template' : 'kubectl kustomize';
        reject(new RuntimeError('RUN771', `rendering ${options.what} with ${command} failed${(error as { killed?: boolean }).killed ? ' (timed out)' : ''}: ${shorten(said, 800)}`, {
          hint: `run "${tool} ${args.map((a) => (/[\s"']/.test(a) ? JSON.stringify(a) : a)).join(' ')}" in the GitOps repository and fix what it reports; nothing was written`,
        }));
      },
    );
  });
}
