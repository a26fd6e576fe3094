#!/usr/bin/env bash
# Builds the test-bed binaries (etcd, kube-apiserver, kube-controller-manager, kube-scheduler,
# kwok) from Go modules into a cache directory keyed by their versions, then prints the
# directory that holds them.
#
# The wrapper modules next to this script pin every dependency (go.mod and go.sum are
# committed), so a rebuild on another machine compiles the same sources. A finished build is
# marked with .complete and later runs return at once. Concurrent runs serialise on a lock.
#
# Environment:
#   RAMPART_TESTBED_CACHE  cache root (default: $XDG_CACHE_HOME/rampart-testbed or ~/.cache/...)
#   RAMPART_TESTBED_REGEN  when 1, regenerate the wrapper go.mod/go.sum files from scratch
set -euo pipefail

K8S_VERSION=1.36.3
ETCD_VERSION=3.6.16
KWOK_VERSION=0.8.0

here=$(cd "$(dirname "$0")" && pwd)

cache_root=${RAMPART_TESTBED_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rampart-testbed}
case "$(uname -m)" in
  x86_64) arch=amd64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) arch=$(uname -m) ;;
esac
key="k8s-$K8S_VERSION-etcd-$ETCD_VERSION-kwok-$KWOK_VERSION-$(uname -s | tr '[:upper:]' '[:lower:]')-$arch"
dest="$cache_root/$key"

finish_if_built() {
  if [ -f "$dest/.complete" ]; then
    echo "$dest/bin"
    exit 0
  fi
}
finish_if_built

# Go is needed only when the binaries are not cached yet.
if ! command -v go >/dev/null 2>&1; then
  echo "error: the Go toolchain is missing: 'go' is not on PATH, and the test-bed binaries are not" >&2
  echo "built yet in $dest." >&2
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
mkdir -p "$out"
strip="-s -w -buildid="
log() { echo "[build-binaries] $*" >&2; }

# Copies a committed wrapper module into the work tree, or creates it when missing or when
# RAMPART_TESTBED_REGEN=1. $1 is the wrapper's folder name, $2 a function that creates it.
prepare_module() {
  local name=$1 create=$2
  mkdir -p "$work/$name"
  if [ "${RAMPART_TESTBED_REGEN:-0}" != 1 ] && [ -f "$here/$name/go.mod" ] && [ -f "$here/$name/go.sum" ]; then
    cp "$here/$name/go.mod" "$here/$name/go.sum" "$work/$name/"
    (cd "$work/$name" && go mod download)
  else
    (cd "$work/$name" && "$create")
    mkdir -p "$here/$name"
    cp "$work/$name/go.mod" "$work/$name/go.sum" "$here/$name/"
  fi
}

create_k8s() {
  go mod init local.test/rampart-k8sbins >/dev/null 2>&1
  local info gomod minor
  info=$(go mod download -json "k8s.io/kubernetes@v$K8S_VERSION")
  gomod=$(sed -n 's/.*"GoMod": "\(.*\)".*/\1/p' <<<"$info")
  go mod edit -go="$(awk '$1=="go"{print $2; exit}' "$gomod")"
  grep -E '^godebug ' "$gomod" >> go.mod || true
  minor="0.${K8S_VERSION#1.}"
  # k8s.io/kubernetes pins its staging modules to v0.0.0 and resolves them with replace
  # directives that only apply in its own repository, so a consumer maps each one to its tag.
  for m in $(sed -n 's#^[[:space:]]*\(k8s\.io/[A-Za-z0-9._-]*\) => \./staging/.*#\1#p' "$gomod"); do
    go mod edit -replace="$m=$m@v$minor"
  done
  go get -tool \
    "k8s.io/kubernetes/cmd/kube-apiserver@v$K8S_VERSION" \
    "k8s.io/kubernetes/cmd/kube-controller-manager@v$K8S_VERSION" \
    "k8s.io/kubernetes/cmd/kube-scheduler@v$K8S_VERSION"
}

create_etcd() {
  go mod init local.test/rampart-etcdbin >/dev/null 2>&1
  go get -tool "go.etcd.io/etcd/server/v3@v$ETCD_VERSION"
}

create_kwok() {
  go mod init local.test/rampart-kwokbin >/dev/null 2>&1
  go get -tool "sigs.k8s.io/kwok/cmd/kwok@v$KWOK_VERSION"
}

log "building into $dest (about 7 minutes on 2 cores with a warm module download, longer on a cold machine)"

prepare_module kwok create_kwok
(cd "$work/kwok" && go build -mod=readonly -trimpath \
  -ldflags "$strip -X sigs.k8s.io/kwok/pkg/consts.Version=$KWOK_VERSION" \
  -o "$out/kwok" sigs.k8s.io/kwok/cmd/kwok)
log "kwok done"

prepare_module etcd create_etcd
(cd "$work/etcd" && go build -mod=readonly -trimpath \
  -ldflags "$strip -X go.etcd.io/etcd/api/v3/version.GitSHA=v$ETCD_VERSION" \
  -o "$out/etcd" go.etcd.io/etcd/server/v3)
log "etcd done"

prepare_module k8s create_k8s
commit=$(cd "$work/k8s" && go mod download -json "k8s.io/kubernetes@v$K8S_VERSION" \
  | sed -n 's/.*"Hash": "\([0-9a-f]\{40\}\)".*/\1/p' | head -1)
build_date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
version_flags=""
# Without these the binaries report v0.0.0-master, which breaks Helm's kubeVersion checks.
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  version_flags+=" -X $p.gitVersion=v$K8S_VERSION -X $p.gitMajor=1"
  version_flags+=" -X $p.gitMinor=$(cut -d. -f2 <<<"$K8S_VERSION")"
  version_flags+=" -X $p.gitCommit=${commit:-unknown} -X $p.gitTreeState=clean -X $p.buildDate=$build_date"
done
(cd "$work/k8s" && go build -mod=readonly -trimpath -tags=notest,grpcnotrace \
  -ldflags "$strip$version_flags" -o "$out/" \
  k8s.io/kubernetes/cmd/kube-apiserver \
  k8s.io/kubernetes/cmd/kube-controller-manager \
  k8s.io/kubernetes/cmd/kube-scheduler)
log "kubernetes done"

"$out/kube-apiserver" --version | grep -q "v$K8S_VERSION"
"$out/etcd" --version | grep -q "$ETCD_VERSION"
"$out/kwok" --help >/dev/null 2>&1

touch "$work/out/.complete"
rm -rf "$dest"
mv "$work/out" "$dest"
echo "$dest/bin"
