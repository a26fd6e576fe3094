package com.petuum.rampart.testbed;

/** The outcome of one kubectl run. */
public record KubectlResult(int exitCode, String stdout, String stderr) {

  public boolean succeeded() {
    return exitCode == 0;
  }
}
