package com.petuum.rampart.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code rampartctl}, also installable as the kubectl plugin {@code kubectl-rampart}.
 *
 * <p>Exit codes: 0 success, 1 invalid input (a graph failed validation, say), 2 bad usage or
 * unreadable input, 3 a graph could not be scheduled. Subcommands document any code of their own.
 */
@Command(
    name = "rampartctl",
    mixinStandardHelpOptions = true,
    versionProvider = RampartCtl.VersionProvider.class,
    description = "Runs and inspects Rampart Federation: graphs, member clusters, the local test federation.",
    subcommands = {GraphCommand.class, LocalCommand.class, ClusterCommand.class})
public final class RampartCtl {

  public static final int EXIT_OK = 0;
  public static final int EXIT_INVALID = 1;
  public static final int EXIT_USAGE = 2;
  public static final int EXIT_UNSCHEDULABLE = 3;

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** Creates the command line with the exit codes above wired in; tests call this directly. */
  public static CommandLine newCommandLine() {
    CommandLine commandLine = new CommandLine(new RampartCtl());
    commandLine.setExitCodeExceptionMapper(exception -> EXIT_USAGE);
    commandLine.getCommandSpec().exitCodeOnInvalidInput(EXIT_USAGE);
    commandLine.getCommandSpec().exitCodeOnExecutionException(EXIT_USAGE);
    return commandLine;
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = RampartCtl.class.getPackage().getImplementationVersion();
      return new String[] {"rampartctl " + (version == null ? "development build" : version)};
    }
  }
}
