package com.petuum.rampart.e2e.images;

import com.sun.security.auth.module.UnixSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the command line that runs an unpacked image's entrypoint the way a container runtime
 * with the charts' security context would, using util-linux's unshare instead of a container
 * engine. The process gets a private mount namespace with the root file system mounted read-only,
 * a writable host folder on /tmp (like the charts' emptyDir), and /proc and /dev from the host.
 * It runs with the image's Env and no other variables, in its WorkingDir, as its User.
 *
 * <p>Network, PID and IPC namespaces stay the host's, so the process reaches servers on 127.0.0.1.
 * Run as root, the process gets the image's uid and gid. Run as another user, the command adds a
 * user namespace that maps that user to root, because mounting and chroot need it, and the
 * process then runs as that mapped root instead of the image's user.
 *
 * <p>Signalling the command's process does not reach the entrypoint when it runs as the image's
 * user, because the kernel clears the parent-death signal that --kill-child sets when the
 * process changes its uid. Callers signal the command's descendants instead.
 */
final class ContainerCommand {

  /**
   * Mounts the container's file systems inside the new mount namespace, then runs the rest of the
   * arguments. $1 is the root file system and $2 the folder for /tmp.
   */
  private static final String MOUNT_SCRIPT = String.join("\n",
      "set -eu",
      "root=$1; tmp=$2; shift 2",
      "mount --bind \"$root\" \"$root\"",
      "mount --rbind /proc \"$root/proc\"",
      "mount --rbind /dev \"$root/dev\"",
      "mount --bind \"$tmp\" \"$root/tmp\"",
      "mount -o remount,bind,ro \"$root\"",
      "exec \"$@\"");

  private ContainerCommand() {}

  /**
   * Returns the command that runs {@code image}'s entrypoint followed by {@code arguments} (in
   * place of its Cmd, as Kubernetes' {@code args} does), with {@code extraEnv} added to the
   * image's Env.
   *
   * @throws IllegalArgumentException when the image's User is not numeric, or /tmp, /proc or /dev
   *     is missing in the root file system
   */
  static List<String> of(ContainerImage image, Path tmp, List<String> arguments, Map<String, String> extraEnv) {
    return of(image, tmp, image.entrypoint(), arguments, extraEnv);
  }

  /** Returns the command as {@link #of(ContainerImage, Path, List, Map)} does, with another entrypoint. */
  static List<String> of(
      ContainerImage image, Path tmp, List<String> entrypoint, List<String> arguments, Map<String, String> extraEnv) {
    for (String mountPoint : List.of("proc", "dev", "tmp")) {
      if (!Files.isDirectory(image.root().resolve(mountPoint))) {
        throw new IllegalArgumentException("The image is missing the mount point /" + mountPoint
            + "; rebuild it with deploy/images/build.sh, which creates it");
      }
    }
    String[] user = image.user().split(":", 2);
    if (!user[0].matches("\\d+") || (user.length == 2 && !user[1].matches("\\d+"))) {
      throw new IllegalArgumentException("Image User '" + image.user() + "' is not numeric UID[:GID]; the charts "
          + "need a numeric user to check runAsNonRoot");
    }
    boolean root = new UnixSystem().getUid() == 0;

    List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--propagation=private", "--kill-child=SIGTERM"));
    if (!root) {
      command.addAll(List.of("--user", "--map-root-user"));
    }
    command.addAll(List.of("--", "/bin/sh", "-c", MOUNT_SCRIPT, "sh", image.root().toString(), tmp.toString()));

    Map<String, String> env = new LinkedHashMap<>();
    for (String variable : image.env()) {
      String[] parts = variable.split("=", 2);
      env.put(parts[0], parts.length == 2 ? parts[1] : "");
    }
    env.putAll(extraEnv);
    command.addAll(List.of("/usr/bin/env", "-i"));
    env.forEach((name, value) -> command.add(name + "=" + value));

    command.addAll(List.of("/usr/bin/unshare", "--root=" + image.root(), "--wd=" + image.workingDir()));
    if (root) {
      command.addAll(List.of("--setuid", user[0], "--setgid", user.length == 2 ? user[1] : user[0]));
    }
    command.add("--");
    command.addAll(entrypoint);
    command.addAll(arguments.isEmpty() ? image.cmd() : arguments);
    return command;
  }
}
