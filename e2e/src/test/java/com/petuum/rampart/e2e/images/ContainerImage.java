package com.petuum.rampart.e2e.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A container image tarball in the docker-archive format ({@code docker save}, Jib's
 * {@code buildTar}) unpacked into a root file system, with the parts of its config that a
 * container runtime applies.
 *
 * @param root the unpacked root file system
 * @param repoTags the image names and tags recorded in manifest.json
 * @param entrypoint the config's Entrypoint
 * @param cmd the config's Cmd, empty when unset
 * @param env the config's Env, as NAME=VALUE strings
 * @param user the config's User, such as 65532:65532
 * @param workingDir the config's WorkingDir
 * @param layers the entry names of each layer, in the order they were applied
 */
record ContainerImage(
    Path root, List<String> repoTags, List<String> entrypoint, List<String> cmd, List<String> env,
    String user, String workingDir, List<List<String>> layers) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String WHITEOUT = ".wh.";
  private static final String OPAQUE_WHITEOUT = ".wh..wh..opq";

  /**
   * Unpacks {@code tarball} into {@code folder}: the archive into {@code folder/archive}, then
   * every layer in manifest order into {@code folder/root}. Whiteout entries of a layer delete
   * what lower layers put at that path, as the OCI image spec defines, before the layer's own
   * files are extracted.
   */
  static ContainerImage unpack(Path tarball, Path folder) throws IOException, InterruptedException {
    Path archive = Files.createDirectories(folder.resolve("archive"));
    Path root = Files.createDirectories(folder.resolve("root"));
    tar("-xf", tarball.toString(), "-C", archive.toString());

    JsonNode manifest = JSON.readTree(archive.resolve("manifest.json").toFile());
    if (!manifest.isArray() || manifest.size() != 1) {
      throw new IllegalStateException(tarball + ": manifest.json should list exactly one image, but it is: " + manifest);
    }
    JsonNode image = manifest.get(0);
    List<List<String>> layers = new ArrayList<>();
    for (JsonNode layer : image.path("Layers")) {
      Path layerFile = archive.resolve(layer.asText());
      List<String> entries = tar("-tf", layerFile.toString()).lines().toList();
      for (String entry : entries) {
        applyWhiteout(root, entry);
      }
      tar("-xf", layerFile.toString(), "-C", root.toString(), "--exclude=" + WHITEOUT + "*");
      layers.add(entries);
    }

    JsonNode config = JSON.readTree(archive.resolve(image.path("Config").asText()).toFile()).path("config");
    return new ContainerImage(root, strings(image.path("RepoTags")), strings(config.path("Entrypoint")),
        strings(config.path("Cmd")), strings(config.path("Env")), config.path("User").asText(""),
        config.path("WorkingDir").asText(""), layers);
  }

  /** Returns the layers, by index, that contain an entry under {@code folder} (no leading slash). */
  List<Integer> layersWith(String folder) {
    List<Integer> matches = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i).stream().anyMatch(entry -> normalise(entry).startsWith(folder))) {
        matches.add(i);
      }
    }
    return matches;
  }

  private static void applyWhiteout(Path root, String entry) throws IOException {
    String path = normalise(entry);
    int slash = path.lastIndexOf('/');
    String parent = slash < 0 ? "" : path.substring(0, slash);
    String name = path.substring(slash + 1);
    if (name.equals(OPAQUE_WHITEOUT)) {
      Path folder = root.resolve(parent);
      if (Files.isDirectory(folder)) {
        try (Stream<Path> children = Files.list(folder)) {
          for (Path child : children.toList()) {
            deleteRecursively(child);
          }
        }
      }
    } else if (name.startsWith(WHITEOUT)) {
      deleteRecursively(root.resolve(parent).resolve(name.substring(WHITEOUT.length())));
    }
  }

  private static String normalise(String entry) {
    String path = entry.startsWith("./") ? entry.substring(2) : entry;
    path = path.startsWith("/") ? path.substring(1) : path;
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> tree = Files.walk(path)) {
      for (Path file : tree.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return List.copyOf(values);
  }

  /**
   * Runs GNU tar and returns its standard output. Jib writes pax headers that GNU tar does not
   * know (LIBARCHIVE.creationtime), so their warnings are turned off.
   */
  private static String tar(String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("tar", "--warning=no-unknown-keyword"));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException("Timed out after 2 minutes: " + String.join(" ", command));
    }
    if (process.exitValue() != 0) {
      throw new UncheckedIOException(new IOException(
          String.join(" ", command) + " exited with " + process.exitValue() + ":\n" + errors));
    }
    return output;
  }
}
