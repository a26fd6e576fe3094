package com.petuum.rampart.scheduler.group;

import com.petuum.rampart.scheduler.model.Component;
import com.petuum.rampart.scheduler.model.Flow;
import com.petuum.rampart.scheduler.model.Graph;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Splits a graph into co-location groups with union-find over the flows that bind components.
 * Stateless.
 *
 * <p>Groups come out ordered by their first component name, so the same graph always yields the
 * same groups with the same indices.
 */
public final class ColocationGroups {

  private ColocationGroups() {}

  public static List<ColocationGroup> of(Graph graph) {
    List<String> names = new ArrayList<>(graph.components().keySet());
    int[] parent = new int[names.size()];
    for (int i = 0; i < parent.length; i++) {
      parent[i] = i;
    }

    // Components per flow, in name order.
    TreeMap<String, List<Integer>> usersByFlow = new TreeMap<>();
    for (int i = 0; i < names.size(); i++) {
      Component component = graph.components().get(names.get(i));
      for (String flow : component.flows()) {
        usersByFlow.computeIfAbsent(flow, key -> new ArrayList<>()).add(i);
      }
    }
    for (Map.Entry<String, List<Integer>> entry : usersByFlow.entrySet()) {
      Flow flow = graph.flows().get(entry.getKey());
      if (flow == null || !flow.bindsComponents()) {
        continue;
      }
      List<Integer> users = entry.getValue();
      for (int k = 1; k < users.size(); k++) {
        union(parent, users.get(0), users.get(k));
      }
    }

    // Roots in order of their smallest member give stable group indices.
    TreeMap<Integer, List<String>> membersByRoot = new TreeMap<>();
    int[] smallestMember = new int[names.size()];
    java.util.Arrays.fill(smallestMember, Integer.MAX_VALUE);
    for (int i = 0; i < names.size(); i++) {
      int root = find(parent, i);
      smallestMember[root] = Math.min(smallestMember[root], i);
    }
    for (int i = 0; i < names.size(); i++) {
      membersByRoot.computeIfAbsent(smallestMember[find(parent, i)], key -> new ArrayList<>()).add(names.get(i));
    }
    int[] groupOfComponent = new int[names.size()];
    List<List<String>> members = new ArrayList<>(membersByRoot.values());
    for (int g = 0; g < members.size(); g++) {
      for (String name : members.get(g)) {
        groupOfComponent[names.indexOf(name)] = g;
      }
    }

    List<TreeSet<String>> binding = new ArrayList<>();
    List<TreeSet<Integer>> neighbours = new ArrayList<>();
    for (int g = 0; g < members.size(); g++) {
      binding.add(new TreeSet<>());
      neighbours.add(new TreeSet<>());
    }
    for (Map.Entry<String, List<Integer>> entry : usersByFlow.entrySet()) {
      Flow flow = graph.flows().get(entry.getKey());
      if (flow == null) {
        continue;
      }
      TreeSet<Integer> touched = new TreeSet<>();
      entry.getValue().forEach(i -> touched.add(groupOfComponent[i]));
      if (flow.bindsComponents()) {
        touched.forEach(g -> binding.get(g).add(flow.name()));
        continue;
      }
      for (int g : touched) {
        for (int other : touched) {
          if (other != g) {
            neighbours.get(g).add(other);
          }
        }
      }
    }

    List<ColocationGroup> groups = new ArrayList<>();
    for (int g = 0; g < members.size(); g++) {
      groups.add(new ColocationGroup(g, members.get(g), binding.get(g), new ArrayList<>(neighbours.get(g))));
    }
    return groups;
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  private static void union(int[] parent, int a, int b) {
    int rootA = find(parent, a);
    int rootB = find(parent, b);
    if (rootA != rootB) {
      parent[Math.max(rootA, rootB)] = Math.min(rootA, rootB);
    }
  }
}
