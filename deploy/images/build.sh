#!/usr/bin/env bash
# Builds the hub and agent container images as tarballs that `docker load` and `podman load`
# accept, without a container engine or registry, and prints their paths.
#
# Each image is scratch plus two parts:
#   - a runtime layer, shared by both images. It contains a Java 17 runtime jlinked from this
#     machine's JDK with the modules in JAVA_MODULES, the C libraries it needs from Debian's
#     packages (pinned in debian-packages.txt), CA certificates, and a passwd entry for uid 65532.
#     It is built into a cache folder keyed by the hash of its inputs, and later runs reuse it.
#   - the application layers, built by Jib (Maven profile "images" in hub/ and agent/).
# The image names and tags are the charts' defaults: image.repository in deploy/*/values.yaml
# and appVersion in deploy/*/Chart.yaml.
#
# Usage:
#   deploy/images/build.sh                  build both tarballs into target/images/
#   deploy/images/build.sh --maven-options  build the runtime layer only, and print the Maven
#                                           options (one a line) that build the images in a
#                                           reactor build, as run-tests.sh does
#
# Environment:
#   RAMPART_IMAGES_CACHE  cache root (default: $XDG_CACHE_HOME/rampart-images or ~/.cache/...)
#   JAVA_HOME             JDK 17 whose jlink builds the runtime (default: the JDK of jlink on PATH)
#
# Needs Debian's apt-get and dpkg-deb, because the runtime's C libraries come from Debian 12
# packages that match the JDK's build. This machine's JDK must be a Debian 12 OpenJDK 17 package
# for the same reason: its libraries link against that glibc.
set -euo pipefail

# Modules that jdeps --print-module-deps lists for the hub's and the agent's runtime class paths.
# jdeps cannot see modules loaded as services or by name, so these are added by hand:
# jdk.crypto.ec (TLS with EC keys and ECDHE), and java.xml, java.naming and java.management
# (logback).
JAVA_MODULES=java.base,java.desktop,java.management,java.naming,java.net.http,java.security.jgss,\
java.security.sasl,java.sql,java.xml,jdk.crypto.ec,jdk.httpserver,jdk.jfr,jdk.management,\
jdk.unsupported

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
log() { echo "[build-images] $*" >&2; }
fail() { echo "error: $*" >&2; exit 2; }

mode=images
case "${1:-}" in
  "") ;;
  --maven-options) mode=options ;;
  -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  *) fail "unknown argument '$1'; expected no argument or --maven-options" ;;
esac

for tool in apt-get apt-cache dpkg dpkg-deb sha256sum flock; do
  command -v "$tool" >/dev/null 2>&1 \
    || fail "'$tool' is not on PATH; the runtime layer is built from Debian packages, so run this on Debian 12"
done

if [ -z "${JAVA_HOME:-}" ]; then
  jlink_path=$(command -v jlink) || fail "jlink is not on PATH; install a JDK 17 (apt-get install openjdk-17-jdk-headless) or set JAVA_HOME"
  JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$jlink_path")")")
fi
[ -f "$JAVA_HOME/release" ] || fail "JAVA_HOME=$JAVA_HOME has no release file; set JAVA_HOME to a JDK 17"
grep -q '^JAVA_VERSION="17\.' "$JAVA_HOME/release" \
  || fail "JAVA_HOME=$JAVA_HOME is not a JDK 17 ($(grep '^JAVA_VERSION=' "$JAVA_HOME/release")); set JAVA_HOME to one"

deb_arch=$(dpkg --print-architecture)
case "$deb_arch" in
  amd64) multiarch=x86_64-linux-gnu; loader_dir=lib64; loader=ld-linux-x86-64.so.2 ;;
  arm64) multiarch=aarch64-linux-gnu; loader_dir=lib; loader=ld-linux-aarch64.so.1 ;;
  *) fail "architecture $deb_arch is not supported; expected amd64 or arm64" ;;
esac

cache_root=${RAMPART_IMAGES_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rampart-images}
key=$(cat "$0" "$here/debian-packages.txt" "$here/TrustStore.java" "$JAVA_HOME/release" \
  <(echo "$deb_arch") | sha256sum | cut -c1-16)
runtime="$cache_root/runtime-$deb_arch-$key"

# Downloads the pinned packages into the current folder and writes "package version" lines of
# the versions it took to $1.
download_packages() {
  local record=$1 package pinned version candidate
  while read -r package pinned; do
    case "$package" in "" | "#"*) continue ;; esac
    version=$pinned
    if ! apt-cache show "$package=$pinned" >/dev/null 2>&1; then
      candidate=$(apt-cache policy "$package" | awk '/Candidate:/ {print $2}')
      [ -n "$candidate" ] && [ "$candidate" != "(none)" ] \
        || fail "Debian package $package has no candidate version; run apt-get update"
      log "warning: $package $pinned is no longer in the archive, so $candidate is used;" \
        "update deploy/images/debian-packages.txt to that version"
      version=$candidate
    fi
    apt-get download -q=2 "$package=$version" >&2
    echo "$package $version" >> "$record"
  done < "$here/debian-packages.txt"
}

build_runtime() {
  local work rootfs deb
  mkdir -p "$cache_root"
  work=$(mktemp -d "$cache_root/.work.XXXXXX")
  # shellcheck disable=SC2064 # expand $work now, the trap runs after the function returns
  trap "rm -rf '$work'" EXIT
  rootfs="$work/out/rootfs"
  mkdir -p "$work/debs" "$rootfs/usr/share/rampart"

  # apt-get warns that it downloads as root when its _apt user cannot reach the cache folder.
  log "downloading Debian packages"
  (cd "$work/debs" && download_packages "$rootfs/usr/share/rampart/debian-packages.txt")
  for deb in "$work"/debs/*.deb; do
    dpkg-deb -x "$deb" "$rootfs"
  done
  # Documentation, iconv modules (nothing in the image calls iconv), GDB helpers and the
  # certificate update script are not used at run time.
  rm -rf "$rootfs/usr/share/doc" "$rootfs/usr/share/lintian" "$rootfs/usr/share/man" \
    "$rootfs/usr/share/gdb" "$rootfs/usr/share/gcc" "$rootfs/usr/lib/$multiarch/gconv" \
    "$rootfs/usr/sbin" "$rootfs/etc/ca-certificates.conf"
  # Jib stores a copy of each symlink's target, so a library would be stored twice, under its
  # soname link and its versioned file. Keep one file, under the soname the loader opens.
  find "$rootfs" -type l -name '*.so*' | while read -r link; do
    target=$(readlink "$link")
    case "$target" in */*) continue ;; esac
    mv -f "$(dirname "$link")/$target" "$link"
  done
  [ -e "$rootfs/$loader_dir/$loader" ] || fail "the libc6 package has no $loader_dir/$loader; the runtime cannot start"

  # Go and OpenSSL read this bundle. update-ca-certificates would concatenate the same files.
  mkdir -p "$rootfs/etc/ssl/certs"
  find "$rootfs/usr/share/ca-certificates/mozilla" -name '*.crt' | LC_ALL=C sort \
    | while read -r certificate; do cat "$certificate"; echo; done > "$rootfs/etc/ssl/certs/ca-certificates.crt"

  log "linking a Java runtime from $JAVA_HOME with $JAVA_MODULES"
  "$JAVA_HOME/bin/jlink" --add-modules "$JAVA_MODULES" --strip-debug --no-header-files \
    --no-man-pages --compress=2 --output "$rootfs/opt/java"
  # jlink copies the JDK's cacerts, which Debian generates on the machine that installs the JDK.
  # Replace it with a trust store of the pinned ca-certificates package.
  rm -f "$rootfs/opt/java/lib/security/cacerts"
  "$JAVA_HOME/bin/java" "$here/TrustStore.java" "$rootfs/etc/ssl/certs/ca-certificates.crt" \
    "$rootfs/opt/java/lib/security/cacerts"
  grep -E '^(IMPLEMENTOR|JAVA_RUNTIME_VERSION)=' "$JAVA_HOME/release" > "$rootfs/usr/share/rampart/java-release.txt"

  # uid and gid 65532 follow the distroless "nonroot" convention that the charts' runAsUser uses.
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' \
    > "$rootfs/etc/passwd"
  printf 'root:x:0:\nnonroot:x:65532:\n' > "$rootfs/etc/group"
  # Mount points that container runtimes and Kubernetes fill. The charts mount an emptyDir on /tmp.
  mkdir -p "$rootfs/home/nonroot" "$rootfs/tmp" "$rootfs/proc" "$rootfs/dev" "$rootfs/sys" "$rootfs/root"

  touch "$work/out/.complete"
  rm -rf "$runtime"
  mv "$work/out" "$runtime"
}

if [ ! -f "$runtime/.complete" ]; then
  mkdir -p "$cache_root"
  exec 9>"$cache_root/.lock"
  flock 9
  if [ ! -f "$runtime/.complete" ]; then
    started=$(date +%s)
    log "building the runtime layer into $runtime"
    build_runtime
    log "runtime layer built in $(($(date +%s) - started)) s"
  fi
  flock -u 9
fi

hub_tag=$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\} *$/\1/p' "$repo/deploy/hub/Chart.yaml")
agent_tag=$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\} *$/\1/p' "$repo/deploy/agent/Chart.yaml")
[ -n "$hub_tag" ] || fail "deploy/hub/Chart.yaml has no appVersion"
[ "$hub_tag" = "$agent_tag" ] \
  || fail "the charts' appVersions differ (hub $hub_tag, agent $agent_tag); build.sh tags both images alike, so align them"
maven_options=(-Pimages "-Drampart.image.runtime=$runtime/rootfs" "-Drampart.image.tag=$hub_tag"
  "-Drampart.image.architecture=$deb_arch")

if [ "$mode" = options ]; then
  printf '%s\n' "${maven_options[@]}"
  exit 0
fi

log "building the hub and agent images, tag $hub_tag"
(cd "$repo" && ./mvnw -B -q -pl hub,agent -am package -DskipTests "${maven_options[@]}" >&2)
echo "$repo/target/images/rampart-hub-$hub_tag.tar"
echo "$repo/target/images/rampart-agent-$hub_tag.tar"
