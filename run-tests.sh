#!/usr/bin/env bash
# Runs every test of the project against real clusters. Builds the test-bed binaries and the helm
# CLI first when they are not cached (see testbed/bin-build/build.sh and build-helm.sh). The same
# Maven run builds the hub and agent container images, because the image tests unpack and run
# them (see deploy/images/build.sh). Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")"
binaries=$(testbed/bin-build/build.sh)
helm_binaries=$(testbed/bin-build/build-helm.sh)
image_options=$(deploy/images/build.sh --maven-options)
mapfile -t image_options <<<"$image_options"
exec ./mvnw -B verify -Drampart.testbed.bin="$binaries" -Drampart.helm.bin="$helm_binaries" \
  "${image_options[@]}" "$@"
