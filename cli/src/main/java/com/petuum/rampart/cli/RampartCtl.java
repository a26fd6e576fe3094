package com.petuum.rampart.cli;

import com.petuum.rampart.common.logging.LogFormat;
import com.petuum.rampart.common.logging.LogSetup;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code rampartctl}, also installable as the kubectl plugin {@code kubectl-rampart}.
 *
 * <p>Exit codes: 0 success, 1 invalid input (a graph failed validation, say), 2 bad usage or
 * unreadable input, 3 a graph could not be scheduled, 4 the named object does not exist on the
 * hub, 5 the hub apiserver rejected the request or could not be reached. Subcommands document
 * which of them they return.
 */
@Command(
    name = "rampartctl",
    mixinStandardHelpOptions = true,
    versionProvider = RampartCtl.VersionProvider.class,
    description = "Runs and inspects Rampart Federation: graphs, member clusters, the local test federation.",
    subcommands = {GraphCommand.class, LocalCommand.class, ClusterCommand.class, CompletionCommand.class})
public final class RampartCtl {

  public static final int EXIT_OK = 0;
  public static final int EXIT_INVALID = 1;
  public static final int EXIT_USAGE = 2;
  public static final int EXIT_UNSCHEDULABLE = 3;
  public static final int EXIT_NOT_FOUND = 4;
  public static final int EXIT_HUB_ERROR = 5;

  /**
   * Environment variable with the command name shown in help and errors. bin/kubectl-rampart
   * sets it to "kubectl rampart", so usage lines match how the plugin is called.
   */
  static final String COMMAND_NAME_VARIABLE = "RAMPARTCTL_COMMAND_NAME";

  public static void main(String[] args) {
    // rampartctl prints its own progress; library logs show only warnings and errors.
    LogSetup.configure(LogFormat.TEXT, "warn", Map.of());
    CommandLine commandLine = newCommandLine();
    String name = System.getenv(COMMAND_NAME_VARIABLE);
    if (name != null && !name.isBlank()) {
      commandLine.setCommandName(name);
    }
    System.exit(commandLine.execute(args));
  }

  /** Creates the command line with the exit codes above wired in; tests call this directly. */
  public static CommandLine newCommandLine() {
    return newCommandLine(CommandLine.defaultFactory());
  }

  /** Creates the command line with {@code factory} creating the commands, so tests can pass seams. */
  static CommandLine newCommandLine(CommandLine.IFactory factory) {
    CommandLine commandLine = new CommandLine(new RampartCtl(), factory);
    commandLine.setExitCodeExceptionMapper(exception -> EXIT_USAGE);
    commandLine.getCommandSpec().exitCodeOnInvalidInput(EXIT_USAGE);
    commandLine.getCommandSpec().exitCodeOnExecutionException(EXIT_USAGE);
    commandLine.setParameterExceptionHandler(RampartCtl::reportUsageError);
    return commandLine;
  }

  /**
   * Prints a bad option or argument the way kubectl does: one {@code error:} line, picocli's
   * suggestions for a mistyped name, and where the usage is, instead of the whole usage text.
   */
  private static int reportUsageError(CommandLine.ParameterException exception, String[] args) {
    CommandLine command = exception.getCommandLine();
    PrintWriter err = command.getErr();
    err.println("error: " + exception.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(exception, err);
    err.println("See '" + command.getCommandSpec().qualifiedName() + " --help' for usage.");
    err.flush();
    return command.getCommandSpec().exitCodeOnInvalidInput();
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = RampartCtl.class.getPackage().getImplementationVersion();
      return new String[] {"rampartctl " + (version == null ? "development build" : version)};
    }
  }
}
