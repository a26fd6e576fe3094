package com.petuum.rampart.admission.mutation;

import static java.util.Objects.requireNonNull;

import com.petuum.rampart.admission.model.EdgeDirection;
import com.petuum.rampart.admission.model.FlowType;
import java.util.Optional;

/**
 * One edge of a component as pods see it. Immutable.
 *
 * @param name the edge name
 * @param direction input or output
 * @param type the flow type
 * @param flow the flow name
 * @param mountPath where volume and repository edges appear in containers
 * @param value the value of {@code RAMPART_INPUT_<edge>} or {@code RAMPART_OUTPUT_<edge>}: the
 *     mount path, or the Pulsar topic URL
 * @param claimName the PersistentVolumeClaim behind a volume flow, or behind a repository flow
 *     hosted on a volume
 * @param repositoryKind {@code git} or {@code dvc} for repository edges
 * @param remote the remote a repository edge clones from, when the flow is not on a volume
 */
public record WiredEdge(
    String name,
    EdgeDirection direction,
    FlowType type,
    String flow,
    String mountPath,
    String value,
    Optional<String> claimName,
    Optional<String> repositoryKind,
    Optional<String> remote) {

  public WiredEdge {
    requireNonNull(name, "name");
    requireNonNull(direction, "direction");
    requireNonNull(type, "type");
    requireNonNull(flow, "flow");
    requireNonNull(mountPath, "mountPath");
    requireNonNull(value, "value");
    requireNonNull(claimName, "claimName");
    requireNonNull(repositoryKind, "repositoryKind");
    requireNonNull(remote, "remote");
  }

  /** Returns whether a container mounts this edge read-only: volume inputs. */
  public boolean readOnly() {
    return type == FlowType.VOLUME && direction == EdgeDirection.INPUT;
  }
}
