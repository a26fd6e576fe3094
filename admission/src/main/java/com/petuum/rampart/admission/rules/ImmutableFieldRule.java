package com.petuum.rampart.admission.rules;

import static com.petuum.rampart.admission.rules.JsonFields.quote;

import com.petuum.rampart.admission.model.Flow;
import com.petuum.rampart.admission.model.RampartGraph;
import com.petuum.rampart.admission.model.RepositoryConfig;
import java.util.Set;

/**
 * On an update of a graph that is deployed, a flow keeps its type and a repository flow its kind:
 * the volumes, topics and repositories behind them already exist on the members and readers and
 * writers rely on them.
 */
final class ImmutableFieldRule {

  /** Phases in which the graph's flows exist on member clusters. */
  static final Set<String> DEPLOYED_PHASES = Set.of("Deploying", "Deployed", "DeployedWithErrors");

  void check(RampartGraph updated, RampartGraph previous, String previousPhase, ErrorCollector errors) {
    if (!DEPLOYED_PHASES.contains(previousPhase)) {
      return;
    }
    for (Flow flow : updated.flows().values()) {
      Flow before = previous.flows().get(flow.name());
      if (before == null) {
        continue;
      }
      String path = FieldPath.child("spec.graph.flows", flow.name());
      if (before.type() != flow.type()) {
        errors.add(
            FieldPath.child(path, "type"),
            "flow " + quote(flow.name()) + " of a deployed graph cannot change type from " + before.type().apiName()
                + " to " + flow.type().apiName() + "; add a flow with a new name, or undeploy the graph first "
                + "(spec.deploy: false)");
        continue;
      }
      String kindBefore = before.repository().map(RepositoryConfig::kind).orElse("");
      String kindAfter = flow.repository().map(RepositoryConfig::kind).orElse("");
      if (!kindBefore.isEmpty() && !kindAfter.isEmpty() && !kindBefore.equals(kindAfter)) {
        errors.add(
            FieldPath.child(FieldPath.child(path, "config"), "kind"),
            "repository flow " + quote(flow.name()) + " of a deployed graph cannot change kind from " + kindBefore
                + " to " + kindAfter + "; add a flow with a new name, or undeploy the graph first (spec.deploy: false)");
      }
    }
  }
}
