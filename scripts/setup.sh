#!/usr/bin/env bash
# Installs everything argots needs on a fresh machine, and nothing twice:
# Debian packages used by the tests and benchmarks, pnpm, and the workspace's node modules.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v git >/dev/null || missing+=(git)
command -v docker-registry >/dev/null || [ -x /usr/bin/docker-registry ] || missing+=(docker-registry)
command -v skopeo >/dev/null || missing+=(skopeo)
command -v hyperfine >/dev/null || missing+=(hyperfine)
[ -x /usr/lib/git-core/git-http-backend ] || missing+=(git)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v kubectl >/dev/null || echo "setup: warning: kubectl not found; the tests that render overlays with 'kubectl kustomize' need it" >&2

if ! command -v pnpm >/dev/null; then
  echo "setup: installing pnpm with npm"
  npm install -g --silent pnpm@9.15.9
fi
pnpm install --frozen-lockfile --reporter=silent
