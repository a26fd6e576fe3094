package com.petuum.rampart.scheduler.model;

import com.petuum.rampart.scheduler.resource.ResourceList;
import java.util.Objects;

/** {@code count} pods that each request {@code requests}, as the scheduler counts them. */
public record PodSet(int count, ResourceList requests) {

  public PodSet {
    Objects.requireNonNull(requests, "requests");
    if (count < 0) {
      throw new IllegalArgumentException("count: " + count + " (expected 0 or more)");
    }
  }

  public ResourceList total() {
    return requests.times(count);
  }
}
