package com.petuum.rampart.testbed.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import com.petuum.rampart.testbed.process.ManagedProcess;
import com.petuum.rampart.testbed.process.ProcessLedger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZooKeeperTest {

  @TempDir Path folder;

  @Test
  void embeddedServerStoresData() throws Exception {
    try (EmbeddedZooKeeper server = EmbeddedZooKeeper.start(folder.resolve("embedded"));
        CuratorFramework client = connect(server.connectString())) {
      client.create().forPath("/probe", "one".getBytes(StandardCharsets.UTF_8));

      server.restart();

      assertThat(new String(client.getData().forPath("/probe"), StandardCharsets.UTF_8)).isEqualTo("one");
    }
  }

  @Test
  void threeServerEnsembleSurvivesLossOfOneServer() throws Exception {
    ProcessLedger ledger = new ProcessLedger(folder.resolve("processes"));
    List<ManagedProcess> processes = new ArrayList<>();
    try (ZooKeeperEnsemble ensemble = ZooKeeperEnsemble.start(folder.resolve("ensemble"), ledger, 3, 0);
        CuratorFramework client = connect(ensemble.connectString())) {
      for (int i = 0; i < 3; i++) {
        processes.add(ensemble.server(i));
      }
      client.create().forPath("/before", new byte[0]);

      ensemble.stopServer(0);
      client.create().forPath("/after", new byte[0]);

      assertThat(client.getChildren().forPath("/")).contains("before", "after");
      assertThat(ensemble.connectString().split(",")).hasSize(3);
    }
    assertThat(processes).noneMatch(ManagedProcess::isAlive);
    assertThat(ledger.liveProcesses()).isEmpty();
  }

  private static CuratorFramework connect(String connectString) {
    CuratorFramework client = CuratorFrameworkFactory.builder()
        .connectString(connectString)
        .sessionTimeoutMs(10_000)
        .connectionTimeoutMs(5_000)
        .retryPolicy(new ExponentialBackoffRetry(100, 10))
        .build();
    client.start();
    return client;
  }
}
