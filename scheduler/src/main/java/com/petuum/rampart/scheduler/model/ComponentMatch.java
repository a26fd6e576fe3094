package com.petuum.rampart.scheduler.model;

import java.util.List;

/**
 * Selector of the components a rule applies to: any listed component name, chart name, or requested
 * resource name matches. A match with every list empty matches no component.
 */
public record ComponentMatch(List<String> componentNames, List<String> chartNames, List<String> resourceNames) {

  public ComponentMatch {
    componentNames = List.copyOf(componentNames == null ? List.of() : componentNames);
    chartNames = List.copyOf(chartNames == null ? List.of() : chartNames);
    resourceNames = List.copyOf(resourceNames == null ? List.of() : resourceNames);
  }

  public boolean matches(Component component) {
    if (componentNames.contains(component.name())) {
      return true;
    }
    if (component.chart() != null && chartNames.contains(component.chart().name())) {
      return true;
    }
    for (String resource : resourceNames) {
      if (component.requests(resource)) {
        return true;
      }
    }
    return false;
  }
}
