// Package schedulerperf runs kube-scheduler's own scheduling benchmark (scheduler_perf from
// k8s.io/kubernetes) on this machine. It is the fallback anchor for the Karmada comparison:
// when the Go module proxy does not serve github.com/karmada-io/karmada, this measures a mature
// Go scheduling framework on the same hardware instead. It schedules pods onto nodes through an
// in-process kube-apiserver and etcd, so it is node-level and includes API round trips, unlike
// Rampart's in-memory cluster placement.
package schedulerperf

import (
	"fmt"
	"os"
	"testing"

	perf "k8s.io/kubernetes/test/integration/scheduler_perf"
)

func TestMain(m *testing.M) {
	if err := perf.InitTests(); err != nil {
		fmt.Fprintf(os.Stderr, "failed to initialise scheduler_perf: %v\n", err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

// BenchmarkPerfScheduling runs the workloads in performance-config.yaml that match
// -perf-scheduling-label-filter.
func BenchmarkPerfScheduling(b *testing.B) {
	perf.RunBenchmarkPerfScheduling(b, "performance-config.yaml", "rampart", nil)
}
