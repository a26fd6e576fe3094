package com.petuum.rampart.agent.work;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.petuum.rampart.proto.v1.WorkKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Delivers random sequences of upserts (duplicated, reordered, late) and checks the store's
 * guarantees: per key the applied generations only increase, no generation is applied twice, and
 * the store ends at the highest generation delivered.
 */
class WorkStorePropertyTest {

  /** One upsert of a graph at a generation. */
  record Upsert(int graph, int generation) {}

  @Provide
  Arbitrary<List<Upsert>> deliveries() {
    Arbitrary<Upsert> upsert =
        Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.integers().between(1, 6))
            .as(Upsert::new);
    return upsert.list().ofMinSize(1).ofMaxSize(60);
  }

  @Property(tries = 300)
  void appliesEachGenerationOnceInOrder(@ForAll("deliveries") List<Upsert> deliveries) {
    Map<String, List<Long>> applied = new HashMap<>();
    WorkStore store =
        new WorkStore(
            new SliceApplier() {
              @Override
              public void apply(WorkKey key, long generation, ByteString sliceJson) {
                applied.computeIfAbsent(key.getGraphUid(), uid -> new ArrayList<>()).add(generation);
              }

              @Override
              public void remove(WorkKey key) {}
            });
    Map<String, Integer> highest = new HashMap<>();

    for (Upsert delivery : deliveries) {
      String uid = "uid-" + delivery.graph();
      WorkKey key = WorkKey.newBuilder().setGraphUid(uid).build();
      // The hash is a function of the generation, as it is when the hub sends the same slice again.
      store.upsert(key, delivery.generation(), ByteString.EMPTY, "hash-" + delivery.generation());
      highest.merge(uid, delivery.generation(), Math::max);
    }

    applied.forEach((uid, generations) -> {
      for (int i = 1; i < generations.size(); i++) {
        assertThat(generations.get(i)).as("%s applied %s", uid, generations).isGreaterThan(generations.get(i - 1));
      }
    });
    for (AppliedSlice slice : store.held()) {
      assertThat(slice.generation()).isEqualTo((long) highest.get(slice.key().getGraphUid()));
    }
    assertThat(store.held()).hasSize(highest.size());
  }
}
