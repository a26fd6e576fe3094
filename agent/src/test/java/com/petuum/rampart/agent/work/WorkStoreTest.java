package com.petuum.rampart.agent.work;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.petuum.rampart.proto.v1.WorkKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkStoreTest {

  private static final WorkKey A = WorkKey.newBuilder().setGraphUid("uid-a").setGraphNamespace("ml").setGraphName("a").build();
  private static final WorkKey B = WorkKey.newBuilder().setGraphUid("uid-b").setGraphNamespace("ml").setGraphName("b").build();
  private static final ByteString SLICE = ByteString.copyFromUtf8("{}");

  /** Records every call the store makes. */
  private static final class RecordingApplier implements SliceApplier {
    final List<String> calls = new ArrayList<>();

    @Override
    public void apply(WorkKey key, long generation, ByteString sliceJson) {
      calls.add("apply " + key.getGraphUid() + "@" + generation);
    }

    @Override
    public void remove(WorkKey key) {
      calls.add("remove " + key.getGraphUid());
    }
  }

  private final RecordingApplier applier = new RecordingApplier();
  private final WorkStore store = new WorkStore(applier);

  @Test
  void repeatedUpsertAppliesOnce() {
    ApplyOutcome first = store.upsert(A, 1, SLICE, "h1");
    ApplyOutcome second = store.upsert(A, 1, SLICE, "h1");

    assertThat(first).isEqualTo(ApplyOutcome.APPLIED);
    assertThat(second).isEqualTo(ApplyOutcome.UNCHANGED);
    assertThat(applier.calls).containsExactly("apply uid-a@1");
  }

  @Test
  void olderGenerationIsStale() {
    store.upsert(A, 2, SLICE, "h2");

    assertThat(store.upsert(A, 1, SLICE, "h1")).isEqualTo(ApplyOutcome.STALE);
    assertThat(applier.calls).containsExactly("apply uid-a@2");
  }

  @Test
  void sameGenerationWithNewHashApplies() {
    store.upsert(A, 1, SLICE, "h1");

    assertThat(store.upsert(A, 1, SLICE, "h1-fixed")).isEqualTo(ApplyOutcome.APPLIED);
  }

  @Test
  void removalOfOlderGenerationKeepsNewerSlice() {
    store.upsert(A, 3, SLICE, "h3");

    assertThat(store.remove(A, 2)).isEqualTo(ApplyOutcome.STALE);
    assertThat(store.held()).hasSize(1);
  }

  @Test
  void repeatedRemovalRemovesOnce() {
    store.upsert(A, 1, SLICE, "h1");

    store.remove(A, 2);
    store.remove(A, 2);

    assertThat(applier.calls).containsExactly("apply uid-a@1", "remove uid-a");
  }

  @Test
  void retainOnlyDropsUnlistedSlices() {
    store.upsert(A, 1, SLICE, "h1");
    store.upsert(B, 1, SLICE, "h1");

    int removed = store.retainOnly(Set.of("uid-a"));

    assertThat(removed).isEqualTo(1);
    assertThat(store.held()).extracting(slice -> slice.key().getGraphUid()).containsExactly("uid-a");
    assertThat(applier.calls).contains("remove uid-b");
  }
}
