#!/usr/bin/env bash
# Builds the helm CLI from its Go module into a cache directory keyed by its version, then prints
# the directory that contains it. The documentation tests run the docs' helm commands with it.
#
# It has its own cache key next to build.sh's, so changing the helm version does not rebuild
# the Kubernetes binaries, and the reverse. The wrapper module in ./helm pins every dependency
# (go.mod and go.sum are committed). A finished build is marked with .complete and later runs
# return at once. Concurrent runs serialise on the same lock as build.sh.
#
# Helm 3 because docs/install.md is written for it, and the Helm Java library that the chart
# tests use (helm-java 0.0.21) embeds Helm 3.21.0.
#
# Environment:
#   RAMPART_TESTBED_CACHE  cache root (default: $XDG_CACHE_HOME/rampart-testbed or ~/.cache/...)
#   RAMPART_TESTBED_REGEN  when 1, regenerate the wrapper go.mod/go.sum files from scratch
set -euo pipefail

HELM_VERSION=3.21.4

here=$(cd "$(dirname "$0")" && pwd)

cache_root=${RAMPART_TESTBED_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rampart-testbed}
case "$(uname -m)" in
  x86_64) arch=amd64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) arch=$(uname -m) ;;
esac
key="helm-$HELM_VERSION-$(uname -s | tr '[:upper:]' '[:lower:]')-$arch"
dest="$cache_root/$key"

finish_if_built() {
  if [ -f "$dest/.complete" ]; then
    echo "$dest/bin"
    exit 0
  fi
}
finish_if_built

if ! command -v go >/dev/null 2>&1; then
  echo "error: the Go toolchain is missing: 'go' is not on PATH, and helm is not built yet in $dest." >&2
  echo "Install Go 1.26 or newer (https://go.dev/doc/install) and run this again." >&2
  exit 2
fi
export CGO_ENABLED=0 GOTOOLCHAIN=${GOTOOLCHAIN:-local} GOFLAGS=

mkdir -p "$cache_root"
exec 9>"$cache_root/.lock"
flock 9
finish_if_built

work=$(mktemp -d "$cache_root/.work.XXXXXX")
trap 'rm -rf "$work"' EXIT
out="$work/out/bin"
mkdir -p "$out" "$work/helm"
echo "[build-helm] building helm $HELM_VERSION into $dest" >&2

if [ "${RAMPART_TESTBED_REGEN:-0}" != 1 ] && [ -f "$here/helm/go.mod" ] && [ -f "$here/helm/go.sum" ]; then
  cp "$here/helm/go.mod" "$here/helm/go.sum" "$work/helm/"
  (cd "$work/helm" && go mod download)
else
  (cd "$work/helm" \
    && go mod init local.test/rampart-helmbin >/dev/null 2>&1 \
    && go get -tool "helm.sh/helm/v3/cmd/helm@v$HELM_VERSION")
  mkdir -p "$here/helm"
  cp "$work/helm/go.mod" "$work/helm/go.sum" "$here/helm/"
fi

# Without the version flag `helm version` prints the source's default (v3.21 for v3.21.4), not
# the release.
(cd "$work/helm" && go build -mod=readonly -trimpath \
  -ldflags "-s -w -buildid= -X helm.sh/helm/v3/internal/version.version=v$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean" \
  -o "$out/helm" helm.sh/helm/v3/cmd/helm)

"$out/helm" version --short | grep -q "v$HELM_VERSION"

touch "$work/out/.complete"
rm -rf "$dest"
mv "$work/out" "$dest"
echo "$dest/bin"
