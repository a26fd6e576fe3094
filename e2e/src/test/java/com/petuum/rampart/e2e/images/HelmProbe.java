package com.petuum.rampart.e2e.images;

import com.marcnuri.helm.Helm;

/**
 * Loads helm-java's native library and prints Helm's version. {@link ContainerImageTest} runs it
 * inside the agent image, on the image's own class path, because the agent's --help does not
 * load the library.
 */
public final class HelmProbe {

  private HelmProbe() {}

  public static void main(String[] args) {
    System.out.println("helm version: " + Helm.version().call());
  }
}
