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

/** Lists the running processes of the local federation. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Lists the running processes of the local federation. Exit code 0 when it runs, 1 when it does not.")
public final class LocalStatus implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Path directory = LocalFederation.directory(LocalFederation.home());
    List<ProcessLedger.RecordedProcess> live = new ProcessLedger(directory.resolve("processes")).liveProcesses()
        .stream().sorted(Comparator.comparing(ProcessLedger.RecordedProcess::name)).toList();
    if (live.isEmpty()) {
      out.println("No local federation is running. Start one with: bin/rampartctl local up");
      out.flush();
      return RampartCtl.EXIT_INVALID;
    }
    out.printf("%-36s %s%n", "PROCESS", "PID");
    for (ProcessLedger.RecordedProcess process : live) {
      out.printf("%-36s %d%n", process.name(), process.pid());
    }
    boolean chartsServed = live.stream().anyMatch(process -> LocalChartRepository.PROCESS_NAME.equals(process.name()));
    if (chartsServed) {
      LocalChartRepository.recordedUrl(directory).ifPresent(url -> out.printf("%nchart repository: %s%n", url));
    }
    out.printf("%nkubeconfig: %s%n", directory.resolve("kubeconfig"));
    out.flush();
    return RampartCtl.EXIT_OK;
  }
}
