/** The parts of an OCI image config a run needs, and how Kubernetes combines them with a container's fields. */

export interface ImageConfig {
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
  /** `NAME=value` pairs, in order. */
  readonly env: readonly string[];
  readonly workingDir: string | undefined;
  readonly user: string | undefined;
}

const strings = (v: unknown): readonly string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function parseImageConfig(json: string): ImageConfig {
  const parsed = JSON.parse(json) as { config?: Record<string, unknown> };
  const c = parsed.config ?? {};
  const workingDir = typeof c['WorkingDir'] === 'string' && c['WorkingDir'] !== '' ? c['WorkingDir'] : undefined;
  const user = typeof c['User'] === 'string' && c['User'] !== '' ? c['User'] : undefined;
  return { entrypoint: strings(c['Entrypoint']), cmd: strings(c['Cmd']), env: strings(c['Env']), workingDir, user };
}

/**
 * The argv Kubernetes runs: `command` replaces the image's ENTRYPOINT (and then its CMD is dropped), `args`
 * replace its CMD. https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/#notes
 */
export function containerArgv(config: ImageConfig, command: readonly string[] | undefined, args: readonly string[] | undefined): readonly string[] {
  if (command !== undefined) return [...command, ...(args ?? [])];
  return [...config.entrypoint, ...(args ?? config.cmd)];
}

/** The image's environment with the container's on top (as the container runtime merges them). */
export function containerEnv(config: ImageConfig, env: Readonly<Record<string, string>>): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const pair of config.env) {
    const eq = pair.indexOf('=');
    if (eq > 0) merged[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  Object.assign(merged, env);
  merged['PATH'] ??= '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
  return merged;
}
