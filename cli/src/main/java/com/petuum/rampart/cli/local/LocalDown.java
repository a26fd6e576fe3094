package com.petuum.rampart.cli.local;

import com.petuum.rampart.cli.RampartCtl;
import com.petuum.rampart.testbed.TestBed;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Stops every process of the local federation. */
@Command(name = "down", mixinStandardHelpOptions = true,
    description = "Stops every process the local federation started. Its files stay until the next 'local up'.")
public final class LocalDown implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Path directory = LocalFederation.directory(LocalFederation.home());
    // The hub replicas and agents go first, so that they do not log failed calls to the
    // apiservers and ZooKeeper that would otherwise stop under them.
    int stopped = TestBed.stopDetached(directory, name -> name.startsWith("rampart-"));
    if (stopped == 0) {
      out.println("No local federation is running (nothing to stop in " + directory + ").");
    } else {
      out.println("Stopped the local federation: " + stopped + " processes.");
    }
    out.flush();
    return RampartCtl.EXIT_OK;
  }
}
