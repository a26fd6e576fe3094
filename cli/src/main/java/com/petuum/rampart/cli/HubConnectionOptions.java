package com.petuum.rampart.cli;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The {@code --kubeconfig} and {@code --context} options of commands that talk to the hub
 * apiserver, resolved as kubectl resolves them.
 *
 * <p>NOTE: with several files in {@code KUBECONFIG}, kubectl merges them; this reads only the
 * first, because client-java 27 loads a single file.
 */
final class HubConnectionOptions {

  @Option(names = "--kubeconfig", paramLabel = "FILE",
      description = "Kubeconfig of the hub apiserver (default: the first file in $KUBECONFIG, else ~/.kube/config).")
  Path kubeconfig;

  @Option(names = "--context", paramLabel = "NAME",
      description = "Kubeconfig context to use (default: the file's current-context).")
  String context;

  /** A kubeconfig that is missing or names an unknown context. The message names the option to fix. */
  static final class InvalidKubeconfigException extends Exception {
    InvalidKubeconfigException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The client and the namespace that the selected context sets, if any. */
  record Connection(ApiClient client, Optional<String> namespace) {}

  Connection connect() throws InvalidKubeconfigException {
    Path file = kubeconfigPath();
    if (!Files.isRegularFile(file)) {
      throw new InvalidKubeconfigException("kubeconfig " + file + " not found; pass --kubeconfig FILE or set KUBECONFIG", null);
    }
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      KubeConfig config = KubeConfig.loadKubeConfig(reader);
      config.setFile(file.toFile());
      if (context != null && !config.setContext(context)) {
        throw new InvalidKubeconfigException("--context: '" + context + "' is not a context in " + file
            + " (run kubectl config get-contexts --kubeconfig " + file + ")", null);
      }
      if (config.getCurrentContext() == null || config.getCurrentContext().isBlank()) {
        throw new InvalidKubeconfigException("kubeconfig " + file + " has no current-context; pass --context NAME", null);
      }
      ApiClient client = ClientBuilder.kubeconfig(config).build();
      return new Connection(client, Optional.ofNullable(config.getNamespace()).filter(ns -> !ns.isBlank()));
    } catch (IOException | RuntimeException e) {
      throw new InvalidKubeconfigException("cannot read kubeconfig " + file + ": " + e.getMessage(), e);
    }
  }

  private Path kubeconfigPath() {
    if (kubeconfig != null) {
      return kubeconfig;
    }
    String fromEnvironment = System.getenv("KUBECONFIG");
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return Path.of(fromEnvironment.split(File.pathSeparator)[0]);
    }
    return UserHome.path().resolve(".kube").resolve("config");
  }
}
