package com.petuum.rampart.admission.rules;

import static com.petuum.rampart.admission.rules.JsonFields.quote;

import com.petuum.rampart.admission.model.Component;
import com.petuum.rampart.admission.model.RampartGraph;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every {@code needs} entry names another component of the graph, and the {@code needs} edges form
 * no cycle, since components are deployed in {@code needs} order. Each cycle is reported once, at
 * the {@code needs} of the component where the search closed it.
 */
final class NeedsRule implements GraphRule {

  private enum Mark { IN_PROGRESS, DONE }

  @Override
  public void check(RampartGraph graph, ErrorCollector errors) {
    Map<String, Component> components = graph.components();
    for (Component component : components.values()) {
      String needsPath = FieldPath.child(EdgePaths.component(component), "needs");
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < component.needs().size(); i++) {
        String target = component.needs().get(i);
        String itemPath = FieldPath.index(needsPath, i);
        if (target.equals(component.name())) {
          errors.add(itemPath, "component " + quote(target) + " needs itself; remove this entry");
        } else if (!components.containsKey(target)) {
          errors.add(
              itemPath,
              "component " + quote(target) + " needed by " + quote(component.name())
                  + " does not exist in spec.graph.components; fix the name or remove it");
        } else if (!seen.add(target)) {
          errors.add(itemPath, "component " + quote(target) + " is listed twice; remove the duplicate");
        }
      }
    }
    findCycles(components, errors);
  }

  /** Depth-first search without recursion, so a long chain of needs cannot overflow the stack. */
  private static void findCycles(Map<String, Component> components, ErrorCollector errors) {
    Map<String, Mark> marks = new HashMap<>();
    for (String start : components.keySet()) {
      if (marks.containsKey(start)) {
        continue;
      }
      Deque<String> stack = new ArrayDeque<>();
      Deque<Iterator<String>> pending = new ArrayDeque<>();
      stack.push(start);
      pending.push(targets(components, start).iterator());
      marks.put(start, Mark.IN_PROGRESS);
      while (!stack.isEmpty()) {
        Iterator<String> next = pending.peek();
        if (!next.hasNext()) {
          marks.put(stack.pop(), Mark.DONE);
          pending.pop();
          continue;
        }
        String target = next.next();
        Mark mark = marks.get(target);
        if (mark == null) {
          marks.put(target, Mark.IN_PROGRESS);
          stack.push(target);
          pending.push(targets(components, target).iterator());
        } else if (mark == Mark.IN_PROGRESS) {
          reportCycle(stack, target, errors);
        }
      }
    }
  }

  private static List<String> targets(Map<String, Component> components, String name) {
    List<String> targets = new ArrayList<>();
    for (String target : components.get(name).needs()) {
      if (components.containsKey(target) && !target.equals(name)) {
        targets.add(target);
      }
    }
    return targets;
  }

  private static void reportCycle(Deque<String> stack, String closing, ErrorCollector errors) {
    List<String> cycle = new ArrayList<>();
    Iterator<String> fromBottom = stack.descendingIterator();
    boolean inCycle = false;
    while (fromBottom.hasNext()) {
      String name = fromBottom.next();
      inCycle |= name.equals(closing);
      if (inCycle) {
        cycle.add(name);
      }
    }
    cycle.add(closing);
    String last = stack.peek();
    errors.add(
        FieldPath.child(FieldPath.child("spec.graph.components", last), "needs"),
        "needs form a cycle: " + String.join(" -> ", cycle) + "; remove one of these needs so the components can be "
            + "deployed in order");
  }
}
