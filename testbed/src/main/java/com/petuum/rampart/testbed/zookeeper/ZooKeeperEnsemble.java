package com.petuum.rampart.testbed.zookeeper;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;

import com.petuum.rampart.testbed.Ports;
import com.petuum.rampart.testbed.process.ManagedProcess;
import com.petuum.rampart.testbed.process.ProcessLedger;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * ZooKeeper servers as separate JVM processes on 127.0.0.1, for failure tests that stop, kill or
 * freeze single servers. With one server it runs standalone; with three it is a quorum.
 *
 * <p>The servers run with the class path of this JVM, which contains the ZooKeeper jars because
 * the test bed depends on them. Thread-safe.
 */
public final class ZooKeeperEnsemble implements ZooKeeperServer {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final int TICK_MILLIS = 500;

  private final Path directory;
  private final ProcessLedger ledger;
  private final List<Integer> clientPorts;
  private final List<String> serverLines;
  private final ManagedProcess[] servers;

  private ZooKeeperEnsemble(Path directory, ProcessLedger ledger, List<Integer> clientPorts, List<String> serverLines) {
    this.directory = directory;
    this.ledger = ledger;
    this.clientPorts = List.copyOf(clientPorts);
    this.serverLines = List.copyOf(serverLines);
    this.servers = new ManagedProcess[clientPorts.size()];
  }

  /**
   * Starts {@code size} servers and waits until each one reports its mode through {@code srvr}, and, for a quorum,
   * until one of them leads.
   *
   * @param clientPort the first server's client port, or 0 for free ports
   */
  public static ZooKeeperEnsemble start(Path directory, ProcessLedger ledger, int size, int clientPort) {
    checkArgument(size == 1 || size == 3 || size == 5, "size: %s (expected: 1, 3 or 5)", size);
    List<Integer> clientPorts = new ArrayList<>();
    List<String> serverLines = new ArrayList<>();
    for (int id = 1; id <= size; id++) {
      clientPorts.add(id == 1 && clientPort != 0 ? clientPort : Ports.free());
      serverLines.add("server." + id + "=127.0.0.1:" + Ports.free() + ":" + Ports.free());
    }
    ZooKeeperEnsemble ensemble = new ZooKeeperEnsemble(directory, ledger, clientPorts, serverLines);
    try {
      for (int index = 0; index < size; index++) {
        ensemble.startServer(index);
      }
      for (int index = 0; index < size; index++) {
        ensemble.awaitServing(index);
      }
      return ensemble;
    } catch (RuntimeException e) {
      ensemble.close();
      throw e;
    }
  }

  public int size() {
    return clientPorts.size();
  }

  @Override
  public String connectString() {
    return clientPorts.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
  }

  public int clientPort(int index) {
    return clientPorts.get(index);
  }

  /** Starts server {@code index} (0-based) after it was stopped; its data is kept. */
  public synchronized void startServer(int index) {
    checkElementIndex(index, size(), "server index");
    if (servers[index] != null && servers[index].isAlive()) {
      throw new IllegalStateException("ZooKeeper server " + index + " is already running");
    }
    Path serverDirectory = directory.resolve("server-" + (index + 1));
    Path config = writeConfig(index, serverDirectory);
    List<String> command = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m",
        "-Dzookeeper.admin.enableServer=false",
        "-Dzookeeper.4lw.commands.whitelist=ruok,srvr,stat,mntr",
        "-cp", System.getProperty("java.class.path"),
        "org.apache.zookeeper.server.quorum.QuorumPeerMain",
        config.toString());
    servers[index] = ManagedProcess.start(
        "zookeeper-" + (index + 1), command, Map.of(), serverDirectory.resolve("zookeeper.log"), ledger);
  }

  /** Stops server {@code index} with SIGTERM (SIGKILL after a grace period). */
  public synchronized void stopServer(int index) {
    checkElementIndex(index, size(), "server index");
    if (servers[index] != null) {
      servers[index].stop();
    }
  }

  /** Returns the process of server {@code index}, to freeze or inspect it. */
  public synchronized ManagedProcess server(int index) {
    checkElementIndex(index, size(), "server index");
    return servers[index];
  }

  /** Waits until server {@code index} reports standalone, leader or follower mode. */
  public void awaitServing(int index) {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      ManagedProcess process = server(index);
      if (process == null || !process.isAlive()) {
        throw new IllegalStateException("ZooKeeper server " + (index + 1) + " exited; last lines of "
            + (process == null ? "its log" : process.logFile() + ":\n" + process.logTail(30)));
      }
      String mode = fourLetterWord(clientPorts.get(index), "srvr");
      if (mode.contains("Mode: standalone") || mode.contains("Mode: leader") || mode.contains("Mode: follower")) {
        return;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for ZooKeeper", e);
      }
    }
    throw new IllegalStateException("ZooKeeper server " + (index + 1) + " did not serve within "
        + START_TIMEOUT.toSeconds() + " s; last lines of its log:\n" + server(index).logTail(30));
  }

  /** Sends a four-letter command such as {@code srvr}; returns the reply or an empty string. */
  public static String fourLetterWord(int port, String command) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      socket.setSoTimeout(2000);
      OutputStream out = socket.getOutputStream();
      out.write(command.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private Path writeConfig(int index, Path serverDirectory) {
    try {
      Files.createDirectories(serverDirectory.resolve("data"));
      Files.writeString(serverDirectory.resolve("data").resolve("myid"), Integer.toString(index + 1));
      StringBuilder config = new StringBuilder()
          .append("tickTime=").append(TICK_MILLIS).append('\n')
          .append("initLimit=20\nsyncLimit=10\n")
          .append("dataDir=").append(serverDirectory.resolve("data")).append('\n')
          .append("clientPort=").append(clientPorts.get(index)).append('\n')
          .append("clientPortAddress=127.0.0.1\n")
          .append("maxClientCnxns=0\n")
          .append("admin.enableServer=false\n")
          .append("4lw.commands.whitelist=ruok,srvr,stat,mntr\n");
      if (size() > 1) {
        for (String line : serverLines) {
          config.append(line).append('\n');
        }
      }
      Path file = serverDirectory.resolve("zoo.cfg");
      Files.writeString(file, config.toString(), StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the ZooKeeper configuration in " + serverDirectory, e);
    }
  }

  @Override
  public synchronized void close() {
    for (int index = size() - 1; index >= 0; index--) {
      if (servers[index] != null) {
        servers[index].stop();
      }
    }
  }
}
