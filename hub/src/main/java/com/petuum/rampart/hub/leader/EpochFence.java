package com.petuum.rampart.hub.leader;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The fencing epoch in ZooKeeper: one node holding a big-endian long that only grows.
 *
 * <p>{@link #advance} raises it with one transaction that also checks that the caller's latch
 * node still exists, so a replica whose session has already expired cannot take a new epoch.
 * Two replicas that both believe they lead (Curator can briefly report that) get different
 * epochs, and agents and status writes accept only the highest.
 *
 * <p>Thread-safe. Every method calls ZooKeeper and blocks; none may run on a gRPC thread.
 */
public final class EpochFence {

  private final CuratorFramework client;
  private final String epochPath;

  public EpochFence(CuratorFramework client, String epochPath) {
    this.client = requireNonNull(client, "client");
    this.epochPath = requireNonNull(epochPath, "epochPath");
  }

  /**
   * Raises the epoch by one, provided {@code latchNodePath} still exists, and returns the new
   * epoch.
   *
   * @throws KeeperException.NoNodeException when the latch node is gone: this replica no longer
   *     takes part in the election
   * @throws Exception other ZooKeeper failures, such as a lost connection
   */
  public Epoch advance(String latchNodePath) throws Exception {
    requireNonNull(latchNodePath, "latchNodePath");
    ensureExists();
    while (true) {
      Stat stat = new Stat();
      long current = decode(client.getData().storingStatIn(stat).forPath(epochPath));
      long next = current + 1;
      List<CuratorOp> operations = List.of(
          client.transactionOp().check().forPath(latchNodePath),
          client.transactionOp().setData().withVersion(stat.getVersion()).forPath(epochPath, encode(next)));
      try {
        client.transaction().forOperations(operations);
        return new Epoch(next);
      } catch (KeeperException.BadVersionException e) {
        // Another replica advanced the epoch between the read and the write: read again.
        continue;
      }
    }
  }

  /** Returns the highest epoch any replica has taken, 0 before the first election. */
  public Epoch current() throws Exception {
    ensureExists();
    return new Epoch(decode(client.getData().forPath(epochPath)));
  }

  /**
   * Returns whether {@code epoch} is still the highest, that is whether no other replica has
   * taken over since. Callers check it before a write that must not come from a stale leader.
   */
  public boolean isCurrent(Epoch epoch) throws Exception {
    if (!client.getZookeeperClient().isConnected()) {
      return false;
    }
    // One read on the raw ZooKeeper handle, without Curator's retries. With the ensemble gone it
    // fails at once or after the client's read timeout (two thirds of the session timeout).
    byte[] data = client.getZookeeperClient().getZooKeeper().getData(epochPath, false, null);
    return new Epoch(decode(data)).equals(epoch);
  }

  private void ensureExists() throws Exception {
    try {
      client.create().creatingParentsIfNeeded().forPath(epochPath, encode(0));
    } catch (KeeperException.NodeExistsException e) {
      // Created by an earlier replica or election: nothing to do.
    }
  }

  private static byte[] encode(long value) {
    return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
  }

  private long decode(byte[] data) {
    if (data == null || data.length != Long.BYTES) {
      throw new IllegalStateException("The fencing epoch at " + epochPath + " is invalid: it contains "
          + (data == null ? "no data" : data.length + " bytes") + " (expected: an 8-byte long). "
          + "Delete the node only when every hub replica is stopped.");
    }
    return ByteBuffer.wrap(data).getLong();
  }
}
