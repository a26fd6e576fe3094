package com.petuum.rampart.hub.testing;

import com.petuum.rampart.hub.leader.Epoch;
import com.petuum.rampart.hub.leader.Leadership;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** Leadership that a test changes by hand: lead with an epoch, or follow. Thread-safe. */
public final class MutableLeadership implements Leadership {

  private final AtomicReference<Optional<Epoch>> epoch;

  public MutableLeadership(long epoch) {
    this.epoch = new AtomicReference<>(Optional.of(new Epoch(epoch)));
  }

  public void lead(long value) {
    epoch.set(Optional.of(new Epoch(value)));
  }

  public void follow() {
    epoch.set(Optional.empty());
  }

  @Override
  public Optional<Epoch> currentEpoch() {
    return epoch.get();
  }

  @Override
  public Optional<String> leaderAddress() {
    return Optional.of("127.0.0.1:1");
  }
}
