package com.petuum.rampart.agent.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import com.petuum.rampart.testbed.KubeCluster;
import com.petuum.rampart.testbed.KwokNode;
import com.petuum.rampart.testbed.TestBed;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** helm-java against a real kube-apiserver with KWOK nodes, charts fetched over HTTP. */
class HelmReleasesTest {

  private static TestBed bed;
  private static KubeCluster member;

  @TempDir
  static Path work;

  @BeforeAll
  static void startTestBed() {
    bed = TestBed.builder("helm-releases")
        .member("m1", KwokNode.named("cpu-0").capacity(Map.of("cpu", "16", "memory", "64Gi", "pods", "110")))
        .chartRepository(Path.of(System.getProperty("rampart.repo.root", ".."), "examples", "charts"))
        .start();
    member = bed.cluster("m1");
  }

  @AfterAll
  static void stopTestBed() {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void installsUpgradesAndUninstalls() throws Exception {
    member.kubectl("create", "namespace", "helm-a");
    HelmReleases helm = new HelmReleases(Optional.of(member.kubeconfig()), work.resolve("a"));
    ChartReference serving = new ChartReference(bed.chartRepositoryUrl(), "serving", "0.1.0");

    Release installed = helm.installOrUpgrade("helm-a", "component", serving, Map.of("replicas", 1));
    Release upgraded = helm.installOrUpgrade("helm-a", "component", serving, Map.of("replicas", 2));

    assertThat(installed.getStatus()).isEqualTo("deployed");
    assertThat(installed.getRevision()).isEqualTo("1");
    assertThat(upgraded.getRevision()).isEqualTo("2");
    assertThat(member.kubectl("get", "deployment", "serving", "-n", "helm-a", "-o", "jsonpath={.spec.replicas}").stdout())
        .isEqualTo("2");
    assertThat(member.kubectl("get", "service", "serving", "-n", "helm-a").exitCode()).isZero();

    helm.uninstall("helm-a", "component");

    assertThat(helm.find("helm-a", "component")).isEmpty();
    assertThat(member.kubectl("get", "deployment", "serving", "-n", "helm-a").exitCode()).isNotZero();
  }

  @Test
  void reportsHelmSchemaError() {
    member.kubectl("create", "namespace", "helm-b");
    HelmReleases helm = new HelmReleases(Optional.of(member.kubeconfig()), work.resolve("b"));
    ChartReference uploader = new ChartReference(bed.chartRepositoryUrl(), "uploader", "0.1.0");

    assertThatThrownBy(() -> helm.installOrUpgrade("helm-b", "component", uploader, Map.of("replicas", "many")))
        .isInstanceOf(HelmException.class)
        .hasMessageContaining("replicas");
  }

  @Test
  void reportsMissingChartVersion() {
    HelmReleases helm = new HelmReleases(Optional.of(member.kubeconfig()), work.resolve("c"));
    ChartReference missing = new ChartReference(bed.chartRepositoryUrl(), "uploader", "9.9.9");

    assertThatThrownBy(() -> helm.installOrUpgrade("default", "component", missing, Map.of()))
        .isInstanceOf(HelmException.class)
        .hasMessage("chart uploader version 9.9.9 not found in repository " + bed.chartRepositoryUrl()
            + "; it has versions [0.1.0]");
  }

  /**
   * Records that Helm's {@code --wait} works on a test-bed member, because KWOK marks pods ready.
   * The controller does not use it (it reads readiness itself), but charts run by hand can.
   */
  @Test
  void helmWaitReturnsOnceReady() throws Exception {
    member.kubectl("create", "namespace", "helm-e");
    Path archive = new ChartDownloader(work.resolve("e"))
        .download(new ChartReference(bed.chartRepositoryUrl(), "serving", "0.1.0"));

    Release release = Helm.upgrade(archive.toString()).install().withName("waited").withNamespace("helm-e")
        .withKubeConfig(member.kubeconfig()).waitReady().withTimeout(120).call();

    assertThat(release.getStatus()).isEqualTo("deployed");
    assertThat(member.kubectl("get", "deployment", "serving", "-n", "helm-e",
        "-o", "jsonpath={.status.availableReplicas}").stdout()).isEqualTo("1");
  }

  @Test
  void uninstallOfMissingReleaseSucceeds() throws Exception {
    HelmReleases helm = new HelmReleases(Optional.of(member.kubeconfig()), work.resolve("d"));

    helm.uninstall("default", "never-installed");

    assertThat(helm.find("default", "never-installed")).isEmpty();
  }
}
