#!/usr/bin/env bash
# Runs every test of the project against real clusters. Builds the test-bed binaries first when
# they are not cached (see testbed/bin-build/build.sh); extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")"
binaries=$(testbed/bin-build/build.sh)
exec ./mvnw -B verify -Drampart.testbed.bin="$binaries" "$@"
