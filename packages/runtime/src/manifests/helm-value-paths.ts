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
}

export const DEFAULT_HELM_PATHS: HelmValuePaths = Object.freeze({
  repository: 'image.repository',
  tag: 'image.tag',
  digest: 'image.digest',
});

/** The values to write for an image, as `[dotted path, value]` pairs. */
export function helmAssignments(paths: HelmValuePaths, image: { repository: string; tag: string | undefined; digest: string }): [string, string][] {
  const out: [string, string][] = [[paths.repository, image.repository]];
  if (paths.digest === '') {
    out.push([paths.tag, `${image.tag ?? 'latest'}@${image.digest}`]);
  } else {
    if (image.tag !== undefined) out.push([paths.tag, image.tag]);
    out.push([paths.digest, image.digest]);
  }
  return out.filter(([p]) => p !== '');
}
