package com.petuum.rampart.cli.local;

import com.petuum.rampart.cli.RampartCtl;
import com.petuum.rampart.testbed.process.ProcessLedger;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Lists the processes of the local federation and whether each still runs. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Lists the processes of the local federation and whether each still runs. Exit code 0 when "
        + "every one runs, 1 when none runs or some have exited.")
public final class LocalStatus implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path directory = LocalFederation.directory(LocalFederation.home());
    List<ProcessLedger.RecordedProcess> recorded = new ProcessLedger(directory.resolve("processes"))
        .recordedProcesses().stream().sorted(Comparator.comparing(ProcessLedger.RecordedProcess::name)).toList();
    List<ProcessLedger.RecordedProcess> live = recorded.stream().filter(ProcessLedger.RecordedProcess::isAlive).toList();
    if (live.isEmpty()) {
      out.println("No local federation is running. Start one with: bin/rampartctl local up");
      out.flush();
      return RampartCtl.EXIT_INVALID;
    }
    out.printf("%-36s %-9s %s%n", "PROCESS", "PID", "STATE");
    for (ProcessLedger.RecordedProcess process : recorded) {
      out.printf("%-36s %-9d %s%n", process.name(), process.pid(), live.contains(process) ? "Running" : "Exited");
    }
    boolean chartsServed = live.stream().anyMatch(process -> LocalChartRepository.PROCESS_NAME.equals(process.name()));
    if (chartsServed) {
      LocalChartRepository.recordedUrl(directory).ifPresent(url -> out.printf("%nchart repository: %s%n", url));
    }
    out.printf("%nkubeconfig: %s%n", directory.resolve("kubeconfig"));
    out.flush();
    List<String> exited = recorded.stream().filter(process -> !live.contains(process))
        .map(ProcessLedger.RecordedProcess::name).toList();
    if (!exited.isEmpty()) {
      err.printf("warning: %d of %d processes exited: %s. Their output is under %s (logs/, clusters/*/logs/, "
          + "zookeeper/*/); start the federation again with: bin/rampartctl local down && bin/rampartctl local up%n",
          exited.size(), recorded.size(), String.join(", ", exited), directory);
      err.flush();
      return RampartCtl.EXIT_INVALID;
    }
    return RampartCtl.EXIT_OK;
  }
}
