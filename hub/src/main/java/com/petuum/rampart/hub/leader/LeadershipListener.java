package com.petuum.rampart.hub.leader;

/**
 * Receives leadership changes of this hub replica. Callbacks run one at a time on the
 * leadership's own notifier thread, in the order the changes happened, and never while a lock of
 * the leadership is held. They may block briefly, but long work belongs on another thread.
 */
public interface LeadershipListener {

  /**
   * Called after this replica won the election and fenced {@code epoch} into ZooKeeper. The
   * replica should rebuild its state before its first decision.
   */
  void leadershipAcquired(Epoch epoch);

  /**
   * Called when this replica stopped leading under {@code epoch}: the connection was suspended or
   * lost, the latch was lost, or the replica closed. The replica must stop scheduling,
   * dispatching and writing before anything else.
   */
  void leadershipLost(Epoch epoch);
}
