package com.petuum.rampart.testbed.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessLedgerTest {

  @TempDir Path folder;

  @Test
  void newLedgerEndsProcessLeftByEarlierOwner() {
    ProcessLedger earlier = new ProcessLedger(folder.resolve("ledger"));
    ManagedProcess sleeper = ManagedProcess.start(
        "sleeper", List.of("sleep", "300"), Map.of(), folder.resolve("sleeper.log"), earlier);

    ProcessLedger later = new ProcessLedger(folder.resolve("ledger"));
    assertThat(later.liveProcesses()).extracting(ProcessLedger.RecordedProcess::name).containsExactly("sleeper");

    int ended = later.endAll();

    assertThat(ended).isEqualTo(1);
    assertThat(sleeper.isAlive()).isFalse();
    assertThat(later.liveProcesses()).isEmpty();
  }

  @Test
  void recordWithWrongStartTimeIsNotKilled() throws Exception {
    ProcessLedger ledger = new ProcessLedger(folder.resolve("ledger"));
    ManagedProcess sleeper = ManagedProcess.start(
        "sleeper", List.of("sleep", "300"), Map.of(), folder.resolve("sleeper.log"), ledger);
    try {
      // The pid now seems to belong to a process that started at another time: a reused pid.
      Files.writeString(folder.resolve("ledger").resolve("sleeper.pid"), sleeper.pid() + " 2001-01-01T00:00:00Z\n");

      assertThat(ledger.endAll()).isZero();
      assertThat(sleeper.isAlive()).isTrue();
    } finally {
      sleeper.stop();
    }
  }

  @Test
  void stopEndsFrozenProcess() {
    ProcessLedger ledger = new ProcessLedger(folder.resolve("ledger"));
    ManagedProcess sleeper = ManagedProcess.start(
        "sleeper", List.of("sleep", "300"), Map.of(), folder.resolve("sleeper.log"), ledger);
    sleeper.freeze();

    sleeper.stop();

    assertThat(sleeper.isAlive()).isFalse();
    assertThat(ledger.liveProcesses()).isEmpty();
  }

  @Test
  void processThatDiesStaysRecordedButNotLive() {
    ProcessLedger ledger = new ProcessLedger(folder.resolve("ledger"));
    ManagedProcess quick = ManagedProcess.start(
        "quick", List.of("true"), Map.of(), folder.resolve("quick.log"), ledger);
    ManagedProcess sleeper = ManagedProcess.start(
        "sleeper", List.of("sleep", "300"), Map.of(), folder.resolve("sleeper.log"), ledger);
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> !quick.isAlive());

      assertThat(ledger.recordedProcesses()).extracting(ProcessLedger.RecordedProcess::name)
          .containsExactlyInAnyOrder("quick", "sleeper");
      assertThat(ledger.liveProcesses()).extracting(ProcessLedger.RecordedProcess::name).containsExactly("sleeper");
    } finally {
      sleeper.stop();
    }
    // A process the ledger stopped itself is forgotten, not reported as exited.
    assertThat(ledger.recordedProcesses()).extracting(ProcessLedger.RecordedProcess::name).containsExactly("quick");
  }

  @Test
  void processesMatchingThePredicateEndFirst() throws Exception {
    ProcessLedger ledger = new ProcessLedger(folder.resolve("ledger"));
    // Each process writes the nanosecond clock when SIGTERM reaches it, then exits.
    for (String name : List.of("client", "server")) {
      String trap = "trap 'date +%s%N > " + folder.resolve(name + ".ended") + "; kill $!; exit 0' TERM; sleep 300 & wait";
      ManagedProcess.start(name, List.of("sh", "-c", trap), Map.of(), folder.resolve(name + ".log"), ledger);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> ledger.liveProcesses().size() == 2);

    int ended = new ProcessLedger(folder.resolve("ledger")).endAll(name -> name.equals("client"));

    assertThat(ended).isEqualTo(2);
    long client = Long.parseLong(Files.readString(folder.resolve("client.ended")).trim());
    long server = Long.parseLong(Files.readString(folder.resolve("server.ended")).trim());
    assertThat(client).isLessThan(server);
    assertThat(ledger.recordedProcesses()).isEmpty();
  }
}
