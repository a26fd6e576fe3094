package com.petuum.rampart.hub.dispatch;

import static java.util.Objects.requireNonNull;

/**
 * A message the hub owes an agent: a slice to apply or a slice to remove. Immutable.
 */
public sealed interface Delivery {

  WorkId id();

  long generation();

  /** The slice at this generation must be applied. */
  record Upsert(WorkItem item) implements Delivery {
    public Upsert {
      requireNonNull(item, "item");
    }

    @Override
    public WorkId id() {
      return item.id();
    }

    @Override
    public long generation() {
      return item.generation();
    }
  }

  /** The slice must be removed; the generation is the one that removed it. */
  record Removal(WorkId id, long generation) implements Delivery {
    public Removal {
      requireNonNull(id, "id");
    }
  }
}
