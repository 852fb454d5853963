/** Where a Helm chart reads its image from. Dotted paths into the values. */
export interface HelmValuePaths {
  /** Default `image.repository`. */
  readonly repository: string;
  /** Default `image.tag`. */
  readonly tag: string;
  /**
   * Default `image.digest`. Empty string: the chart has no digest value, so the tag value is written as
   * `tag@sha256:...` (charts that render `repository:tag` then deploy by digest).
   */
  readonly digest: string;
  /**
   * A registry value rendered before the repository (`{{ registry }}/{{ repository }}`, as Bitnami charts
   * do): the new image's registry host goes there and the rest of its repository in `repository`.
   */
  readonly registry?: string;
  /** A value holding the whole reference (`image: repo:tag@sha256:...`); the other paths are then unused. */
  readonly ref?: string;
}

export const DEFAULT_HELM_PATHS: HelmValuePaths = Object.freeze({
  repository: 'image.repository',
  tag: 'image.tag',
  digest: 'image.digest',
});

/** `registry.acme.io/shop/api` → [`registry.acme.io`, `shop/api`]; no registry host: [`docker.io`, repository]. */
export function splitRegistry(repository: string): [string, string] {
  const slash = repository.indexOf('/');
  const first = slash === -1 ? '' : repository.slice(0, slash);
  if (first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost')) return [first, repository.slice(slash + 1)];
  return ['docker.io', repository];
}

/** The values to write for an image, as `[dotted path, value]` pairs. */
export function helmAssignments(paths: HelmValuePaths, image: { repository: string; tag: string | undefined; digest: string }): [string, string][] {
  if (paths.ref !== undefined && paths.ref !== '') {
    return [[paths.ref, `${image.repository}${image.tag !== undefined ? `:${image.tag}` : ''}@${image.digest}`]];
  }
  const out: [string, string][] = [];
  if (paths.registry !== undefined && paths.registry !== '') {
    const [registry, rest] = splitRegistry(image.repository);
    out.push([paths.registry, registry], [paths.repository, rest]);
  } else {
    out.push([paths.repository, image.repository]);
  }
  if (paths.digest === '') {
    out.push([paths.tag, `${image.tag ?? 'latest'}@${image.digest}`]);
  } else {
    if (image.tag !== undefined) out.push([paths.tag, image.tag]);
    out.push([paths.digest, image.digest]);
  }
  return out.filter(([p]) => p !== '');
}
