package com.petuum.rampart.agent.controller;

/** The phase of one component on this member, as written to {@code status.components.*.phase}. */
enum ComponentPhase {
  /** Waits for the components it needs to become ready. */
  PENDING("Pending"),
  /** Its release is installed and some of its workloads are not ready yet. */
  DEPLOYING("Deploying"),
  /** Its release is installed and every workload is ready. */
  DEPLOYED("Deployed"),
  /** Its namespace, volumes or release could not be created, or a workload failed. */
  FAILED("Failed");

  private final String apiName;

  ComponentPhase(String apiName) {
    this.apiName = apiName;
  }

  /** Returns the name written to the status. */
  String apiName() {
    return apiName;
  }
}
