package com.petuum.rampart.bench.protocol;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** Reads this JVM's CPU time and heap use, for benchmark reports. */
final class ProcessStats {

  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

  /** Returns the CPU time this process used so far, in nanoseconds. */
  long cpuNanos() {
    return os.getProcessCpuTime();
  }

  long heapUsedBytes() {
    return memory.getHeapMemoryUsage().getUsed();
  }

  long heapCommittedBytes() {
    return memory.getHeapMemoryUsage().getCommitted();
  }

  /** Runs a full collection and returns the heap still used, which is what the load retains. */
  long heapLiveBytes() {
    System.gc();
    return heapUsedBytes();
  }

  static long mebibytes(long bytes) {
    return bytes / (1024 * 1024);
  }
}
