#!/usr/bin/env bash
# Measures the test bed: how long the Go-built binaries take to build (cold and warm), how long
# `rampartctl local up` takes to start the hub and three members, and the resident memory of
# each cluster's processes once started.
#
# Usage: bench/testbed/measure.sh [--skip-cold]
#   --skip-cold  skip the cold build, which downloads every Go module again (several minutes)
# Everything it creates lives in a temporary folder that it removes at the end.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
skip_cold=0
for argument in "$@"; do
  case "$argument" in
    --skip-cold) skip_cold=1 ;;
    *) echo "error: unknown option $argument (expected: --skip-cold)" >&2; exit 2 ;;
  esac
done

scratch=$(mktemp -d)
cleanup() {
  RAMPART_HOME="$scratch/home" "$root/bin/rampartctl" local down >/dev/null 2>&1 || true
  chmod -R u+w "$scratch" 2>/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT

seconds_of() { # command... ; prints elapsed seconds with one decimal
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }'
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)"
echo "go: $(go version 2>/dev/null || echo missing)"

if [ "$skip_cold" = 0 ]; then
  cold=$(GOMODCACHE="$scratch/gomod" GOCACHE="$scratch/gocache" RAMPART_TESTBED_CACHE="$scratch/bins-cold" \
    seconds_of "$root/testbed/bin-build/build.sh")
  echo "build_cold_seconds=$cold   (empty Go module and build caches: downloads and compiles everything)"
  warm=$(GOMODCACHE="$scratch/gomod" GOCACHE="$scratch/gocache" RAMPART_TESTBED_CACHE="$scratch/bins-warm" \
    seconds_of "$root/testbed/bin-build/build.sh")
  echo "build_warm_seconds=$warm   (Go caches warm, binaries not yet in the test-bed cache)"
fi
cached=$(seconds_of "$root/testbed/bin-build/build.sh")
echo "build_cached_seconds=$cached   (binaries already in the test-bed cache)"

# Build the CLI first so that its build time is not counted as start-up.
"$root/bin/rampartctl" --version >/dev/null
up=$(RAMPART_HOME="$scratch/home" seconds_of "$root/bin/rampartctl" local up)
echo "local_up_seconds=$up   (hub + gpu-east + gpu-west + cpu-onprem + ZooKeeper, until all are ready)"

# Let the controllers settle before reading memory.
sleep 20
echo
printf '%-12s %10s  %s\n' CLUSTER RSS_MIB PROCESSES
RAMPART_HOME="$scratch/home" "$root/bin/rampartctl" local status | awk 'NF==2 && $2 ~ /^[0-9]+$/ {print $1, $2}' \
  | while read -r name pid; do
      rss=$(ps -o rss= -p "$pid" 2>/dev/null || echo 0)
      cluster=${name%%-etcd}; cluster=${cluster%%-kube-*}; cluster=${cluster%%-kwok}
      echo "$cluster $rss ${name#"$cluster"-}"
    done \
  | awk '{ sum[$1] += $2; names[$1] = names[$1] " " $3 } END { for (c in sum) printf "%-12s %10.0f %s\n", c, sum[c] / 1024, names[c] }' \
  | sort
