package com.petuum.rampart.scheduler.explain;

import com.petuum.rampart.scheduler.framework.Reason;
import com.petuum.rampart.scheduler.resource.Quantity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * Counts rejection reasons over clusters and prints them for people, kube-scheduler style:
 * {@code 0 of 5 clusters fit: 2 cluster(s) lack 2 nvidia.com/gpu on one node (largest free: 1);
 * 3 cluster(s) had untolerated taint gpu=reserved:NoSchedule}.
 *
 * <p>Reasons with the same phrase count once per cluster; their observations reduce to the
 * largest. Reasons print by count, highest first, then by phrase. Not thread-safe.
 */
public final class ReasonSummary {

  private final TreeMap<String, Tally> tallies = new TreeMap<>();
  private int clusters;
  private int feasible;

  private static final class Tally {
    private final String phrase;
    private final String observationLabel;
    private int count;
    private long largestObserved = Long.MIN_VALUE;

    private Tally(String phrase, String observationLabel) {
      this.phrase = phrase;
      this.observationLabel = observationLabel;
    }
  }

  /** Adds one cluster's verdict: feasible when {@code reasons} is empty. */
  public void add(List<Reason> reasons) {
    clusters++;
    if (reasons.isEmpty()) {
      feasible++;
      return;
    }
    Set<String> seen = new HashSet<>();
    for (Reason reason : reasons) {
      if (!seen.add(reason.phrase())) {
        continue;
      }
      Tally tally = tallies.computeIfAbsent(reason.phrase(), phrase -> new Tally(phrase, reason.observationLabel()));
      tally.count++;
      if (reason.observationLabel() != null) {
        tally.largestObserved = Math.max(tally.largestObserved, reason.observedMilli());
      }
    }
  }

  public int clusters() {
    return clusters;
  }

  public int feasible() {
    return feasible;
  }

  /** Returns {@code "N of M clusters fit: ..."} with the counted reasons. */
  public String describe() {
    String head = feasible + " of " + clusters + (clusters == 1 ? " cluster fits" : " clusters fit");
    List<String> parts = reasonTexts();
    return parts.isEmpty() ? head : head + ": " + String.join("; ", parts);
  }

  /** Returns each counted reason as {@code "N cluster(s) phrase (label: largest)"}. */
  public List<String> reasonTexts() {
    List<Tally> sorted = new ArrayList<>(tallies.values());
    sorted.sort(Comparator.comparingInt((Tally tally) -> -tally.count).thenComparing(tally -> tally.phrase));
    List<String> texts = new ArrayList<>();
    for (Tally tally : sorted) {
      String text = tally.count + " cluster(s) " + tally.phrase;
      if (tally.observationLabel != null) {
        text += " (" + tally.observationLabel + ": " + Quantity.format(tally.largestObserved) + ")";
      }
      texts.add(text);
    }
    return texts;
  }
}
