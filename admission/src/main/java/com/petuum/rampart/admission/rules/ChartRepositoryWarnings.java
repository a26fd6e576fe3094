package com.petuum.rampart.admission.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Warnings for components whose chart repository is the name of a Secret or a URL of another
 * scheme, such as oci. The graph schema allows both, so such a graph is valid, but agents fetch
 * charts only from http and https URLs, so the component would fail on its member. The webhooks
 * return these as admission warnings, which kubectl prints, and {@code rampartctl graph validate}
 * prints them too.
 */
public final class ChartRepositoryWarnings {

  private ChartRepositoryWarnings() {}

  /** Returns one warning per component of {@code graph} whose {@code chart.repo} is not an http or https URL. */
  public static List<String> of(JsonNode graph) {
    List<String> warnings = new ArrayList<>();
    graph.path("spec").path("graph").path("components").fields().forEachRemaining(component -> {
      JsonNode repo = component.getValue().path("chart").path("repo");
      if (!repo.isTextual() || repo.asText().startsWith("http://") || repo.asText().startsWith("https://")) {
        return;
      }
      String field = "spec.graph.components." + component.getKey() + ".chart.repo: \"" + repo.asText() + "\"";
      String form = repo.asText().contains("://") ? " is not an http or https URL" : " names a Secret";
      warnings.add(field + form + ", but agents fetch charts only from http and https URLs, so this component "
          + "will fail on its member; give the chart repository URL instead");
    });
    return warnings;
  }
}
