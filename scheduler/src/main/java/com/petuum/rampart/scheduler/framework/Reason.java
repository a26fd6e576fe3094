package com.petuum.rampart.scheduler.framework;

import com.petuum.rampart.scheduler.resource.Quantity;
import java.util.Objects;

/**
 * Why a filter rejected a cluster.
 *
 * <p>The phrase is fixed for a given request and reads after a count ("3 cluster(s) lack 2
 * nvidia.com/gpu on one node"), so that equal phrases from many clusters can be counted. What
 * differs per cluster travels in the observation (label and amount), which summaries reduce to
 * the largest value seen.
 *
 * @param plugin name of the filter that rejected
 * @param phrase fixed phrase, without the leading count
 * @param observationLabel what the observed amount is, such as {@code largest free}, or null
 * @param observedMilli the cluster's amount in milli-units, when there is a label
 */
public record Reason(String plugin, String phrase, String observationLabel, long observedMilli) {

  public Reason {
    Objects.requireNonNull(plugin, "plugin");
    Objects.requireNonNull(phrase, "phrase");
  }

  public static Reason of(String plugin, String phrase) {
    return new Reason(plugin, phrase, null, 0);
  }

  public static Reason observed(String plugin, String phrase, String label, long milli) {
    return new Reason(plugin, phrase, label, milli);
  }

  /** Returns the phrase with this cluster's observation, such as {@code lack 2 cpu in total (free: 1)}. */
  public String text() {
    return observationLabel == null ? phrase : phrase + " (" + observationLabel + ": " + Quantity.format(observedMilli) + ")";
  }
}
