package com.petuum.rampart.hub.leader;

import java.util.Optional;

/**
 * Leadership that never changes: a single hub replica that always leads with one epoch, or a
 * follower that always points at one leader. Immutable. Used until leader election runs, and in
 * tests.
 */
public final class FixedLeadership implements Leadership {

  private final Optional<Epoch> epoch;
  private final Optional<String> leaderAddress;

  private FixedLeadership(Optional<Epoch> epoch, Optional<String> leaderAddress) {
    this.epoch = epoch;
    this.leaderAddress = leaderAddress;
  }

  /** Returns a leadership that always leads with the given epoch. */
  public static FixedLeadership leader(Epoch epoch) {
    return new FixedLeadership(Optional.of(epoch), Optional.empty());
  }

  /** Returns a follower that sends agents to the given leader address. */
  public static FixedLeadership follower(String leaderAddress) {
    return new FixedLeadership(Optional.empty(), Optional.of(leaderAddress));
  }

  @Override
  public Optional<Epoch> currentEpoch() {
    return epoch;
  }

  @Override
  public Optional<String> leaderAddress() {
    return leaderAddress;
  }
}
