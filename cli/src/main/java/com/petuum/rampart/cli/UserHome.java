package com.petuum.rampart.cli;

import java.nio.file.Path;

/** The user's home folder as kubectl and the shell see it. */
public final class UserHome {

  private UserHome() {}

  /**
   * Returns {@code $HOME} when set, else the JVM's {@code user.home}. The JVM reads the password
   * database, so without this a changed {@code HOME} would make rampartctl and kubectl read
   * different kubeconfig files.
   */
  public static Path path() {
    String home = System.getenv("HOME");
    return home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"));
  }
}
