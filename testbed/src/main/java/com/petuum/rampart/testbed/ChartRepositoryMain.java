package com.petuum.rampart.testbed;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link ChartRepository} as its own process until it receives SIGTERM or SIGINT, so that a
 * federation started by {@code rampartctl local up} keeps its charts after the CLI exits.
 *
 * <pre>
 * java -cp CLASSPATH com.petuum.rampart.testbed.ChartRepositoryMain \
 *     --charts examples/charts --packages /tmp/charts [--host 127.0.0.1] [--port 8879]
 * </pre>
 *
 * <p>Exit codes: 2 for invalid arguments, 1 when the charts cannot be packaged or the address
 * cannot be bound (the message names the port), 0 after a signal.
 */
public final class ChartRepositoryMain {

  private static final Logger log = LoggerFactory.getLogger(ChartRepositoryMain.class);

  static final int EXIT_FAILED = 1;
  static final int EXIT_USAGE = 2;

  /** Default port, the one the example graphs name in their chart {@code repo}. */
  public static final int DEFAULT_PORT = 8879;

  private static final String USAGE = "usage: ChartRepositoryMain --charts FOLDER --packages FOLDER "
      + "[--host HOST (default 127.0.0.1)] [--port PORT (default " + DEFAULT_PORT + ")]";

  private ChartRepositoryMain() {}

  /** Validated command-line arguments. */
  record Arguments(Path charts, Path packages, String host, int port) {

    /**
     * Parses {@code --charts}, {@code --packages}, {@code --host} and {@code --port}.
     *
     * @throws IllegalArgumentException naming the option, the value and the fix
     */
    static Arguments parse(List<String> arguments) {
      Path charts = null;
      Path packages = null;
      String host = "127.0.0.1";
      int port = DEFAULT_PORT;
      for (int i = 0; i < arguments.size(); i += 2) {
        String option = arguments.get(i);
        if (i + 1 >= arguments.size()) {
          throw new IllegalArgumentException("option " + option + " is missing its value");
        }
        String value = arguments.get(i + 1);
        switch (option) {
          case "--charts" -> charts = Path.of(value);
          case "--packages" -> packages = Path.of(value);
          case "--host" -> host = value;
          case "--port" -> port = parsePort(value);
          default -> throw new IllegalArgumentException("unknown option " + option);
        }
      }
      if (charts == null || packages == null) {
        throw new IllegalArgumentException("--charts and --packages are required");
      }
      if (!Files.isDirectory(charts)) {
        throw new IllegalArgumentException("--charts " + charts.toAbsolutePath() + " is not a folder "
            + "(expected: a folder with one subfolder per chart, each with a Chart.yaml)");
      }
      return new Arguments(charts, packages, host, port);
    }

    private static int parsePort(String value) {
      int port;
      try {
        port = Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--port " + value + " is not a number (expected: 1-65535)");
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("--port " + port + " is out of range (expected: 1-65535)");
      }
      return port;
    }
  }

  public static void main(String[] args) throws InterruptedException {
    Arguments arguments;
    try {
      arguments = Arguments.parse(List.of(args));
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(EXIT_USAGE);
      return;
    }

    ChartRepository repository;
    try {
      repository = ChartRepository.start(arguments.charts(), arguments.packages(),
          new InetSocketAddress(arguments.host(), arguments.port()));
    } catch (UncheckedIOException e) {
      log.error("Chart repository failed to start. host={} port={}", arguments.host(), arguments.port(), e);
      System.err.println("error: " + e.getMessage() + ": " + e.getCause().getMessage());
      System.exit(EXIT_FAILED);
      return;
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(EXIT_USAGE);
      return;
    }

    // The JVM runs shutdown hooks on SIGTERM and SIGINT; the main thread only has to stay alive.
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      repository.close();
      stopped.countDown();
    }, "chart-repository-shutdown"));
    System.out.println("Serving " + repository.charts().size() + " charts at " + repository.url());
    System.out.flush();
    stopped.await();
  }

  /** Returns the command that runs this main with the given class path and arguments. */
  public static List<String> command(String java, String classPath, Path charts, Path packages, int port) {
    List<String> command = new ArrayList<>(List.of(java, "-Xmx128m", "-cp", classPath, ChartRepositoryMain.class.getName()));
    command.addAll(List.of("--charts", charts.toString(), "--packages", packages.toString(),
        "--host", "127.0.0.1", "--port", Integer.toString(port)));
    return List.copyOf(command);
  }
}
