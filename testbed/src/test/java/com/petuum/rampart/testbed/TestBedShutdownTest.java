package com.petuum.rampart.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.petuum.rampart.testbed.process.ManagedProcess;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestBedShutdownTest {

  @TempDir Path base;

  @Test
  void closeEndsEveryProcessItStarted() {
    TestBed bed = TestBed.builder("shutdown").baseDirectory(base).member("solo", KwokNode.named("n0")).start();
    List<ManagedProcess> processes = bed.cluster("solo").processes();
    assertThat(processes).hasSize(5);
    assertThat(processes).allMatch(ManagedProcess::isAlive);

    bed.close();

    assertThat(processes).noneMatch(ManagedProcess::isAlive);
    assertThat(TestBed.isRunning(base.resolve("shutdown"))).isFalse();
  }

  @Test
  void nextStartEndsDetachedRun() {
    TestBed first = TestBed.builder("reused").baseDirectory(base).hub("hub").detached().start();
    List<Long> firstPids = first.cluster("hub").processes().stream().map(ManagedProcess::pid).toList();
    assertThat(TestBed.isRunning(base.resolve("reused"))).isTrue();

    try (TestBed second = TestBed.builder("reused").baseDirectory(base).hub("hub").start()) {
      assertThat(firstPids).allSatisfy(pid ->
          assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse());
      assertThat(second.cluster("hub").api().get("/readyz").status()).isEqualTo(200);
    }
  }

  @Test
  void stopDetachedEndsDetachedRun() {
    TestBed.builder("detached").baseDirectory(base).hub("hub").detached().start();

    int ended = TestBed.stopDetached(base.resolve("detached"));

    assertThat(ended).isEqualTo(3);
    assertThat(TestBed.isRunning(base.resolve("detached"))).isFalse();
  }

  @Test
  void startFailsWithLogWhenPortIsTaken() throws Exception {
    try (var blocker = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      int taken = blocker.getLocalPort();

      assertThatThrownBy(() -> TestBed.builder("port-taken").baseDirectory(base).hub("hub", taken).start())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("Port " + taken + " on 127.0.0.1")
          .hasMessageContaining("kube-apiserver of hub, is in use");
      assertThat(TestBed.isRunning(base.resolve("port-taken"))).isFalse();
    }
  }
}
