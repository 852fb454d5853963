/**
 * `--image-map FROM=TO` (act's `-P`): the image a container names, as this run runs it. FROM is a whole
 * reference (`registry.acme.io/platform/argots-runtime:0.1.0`), matched exactly, or a repository without tag
 * or digest (`registry.acme.io/platform/argots-runtime`), matching every tag and digest of it. An exact
 * reference wins over a repository.
 */

/** `registry/repo:tag@sha256:…` → `registry/repo` (a port's colon is before the last slash, a tag's after it). */
export function imageRepository(image: string): string {
  const at = image.indexOf('@');
  const name = at < 0 ? image : image.slice(0, at);
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  return colon > slash ? name.slice(0, colon) : name;
}

export function mapImage(image: string, map: ReadonlyMap<string, string> | undefined): string {
  if (!map || map.size === 0) return image;
  return map.get(image) ?? map.get(imageRepository(image)) ?? image;
}
