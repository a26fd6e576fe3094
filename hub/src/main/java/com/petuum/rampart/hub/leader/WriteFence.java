package com.petuum.rampart.hub.leader;

/**
 * The check a leader makes right before each write to the hub apiserver and each slice it hands
 * to the dispatcher: whether its epoch is still the newest. The election alone cannot promise
 * this, because Curator can report two leaders for a moment and a frozen process resumes
 * believing it still leads. The fence reads the current epoch from ZooKeeper.
 *
 * <p>Implementations must be thread-safe. They may block briefly on ZooKeeper, so gRPC threads
 * must not call them.
 */
public interface WriteFence {

  /** Admits everything: for a single replica without ZooKeeper, where no other leader exists. */
  WriteFence NONE = epoch -> true;

  /** Returns whether a write under {@code epoch} may go ahead; false also when the check fails. */
  boolean admits(Epoch epoch);
}
