package com.petuum.rampart.admission.rules;

import static com.petuum.rampart.admission.rules.JsonFields.childObject;
import static com.petuum.rampart.admission.rules.JsonFields.childString;
import static com.petuum.rampart.admission.rules.JsonFields.describe;
import static com.petuum.rampart.admission.rules.JsonFields.quote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.petuum.rampart.admission.model.Flow;
import com.petuum.rampart.admission.model.FlowType;
import com.petuum.rampart.admission.model.GraphNames;
import com.petuum.rampart.admission.model.Quantity;
import com.petuum.rampart.admission.model.RepositoryConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads one entry of {@code spec.graph.flows} and checks its settings: the type, the volume size
 * and reclaim policy, and the git and DVC settings of repository flows. Stateless and
 * thread-safe.
 */
final class FlowParser {

  private static final Set<String> FLOW_FIELDS = Set.of("type", "config", "$ui");
  private static final Set<String> VOLUME_CONFIG_FIELDS = Set.of("size", "reclaimPolicy");
  private static final Set<String> GIT_CONFIG_FIELDS =
      Set.of("size", "reclaimPolicy", "kind", "remote", "secret", "username", "useremail", "defaultBranch");
  private static final Set<String> DVC_CONFIG_FIELDS =
      Set.of(
          "size", "reclaimPolicy", "kind", "remote", "secret", "username", "useremail", "defaultBranch",
          "storageRemote", "storageRemoteName", "storageSecret", "storageSecretType");
  private static final Set<String> RECLAIM_POLICIES = Set.of("Retain", "Delete");

  /** A git remote in scp form, such as {@code git@github.com:org/repo.git}. */
  private static final Pattern SCP_REMOTE = Pattern.compile("[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:.+");

  /** Longest flow name whose pod volume name {@code flow-volume-<flow>} is still a DNS label. */
  static final int MAX_FLOW_NAME_LENGTH = GraphNames.MAX_DNS_LABEL_LENGTH - GraphNames.FLOW_VOLUME_PREFIX.length();

  Optional<Flow> parse(String name, JsonNode node, ErrorCollector errors) {
    String path = FieldPath.child("spec.graph.flows", name);
    boolean validName = checkName(name, path, errors);
    Optional<ObjectNode> maybeFlow = JsonFields.object(node, path, errors);
    if (maybeFlow.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode flow = maybeFlow.get();
    JsonFields.rejectUnknownFields(flow, path, FLOW_FIELDS, errors);

    Optional<FlowType> type =
        childString(flow, "type", path, true, "the flow type: one of " + FlowType.apiNames(), errors).flatMap(t -> {
          Optional<FlowType> parsed = FlowType.fromApiName(t);
          if (parsed.isEmpty()) {
            errors.add(FieldPath.child(path, "type"), "unknown flow type " + quote(t) + "; use one of " + FlowType.apiNames());
          }
          return parsed;
        });
    if (type.isEmpty()) {
      return Optional.empty();
    }

    Optional<RepositoryConfig> repository = Optional.empty();
    switch (type.get()) {
      case VOLUME -> childObject(flow, "config", path, true, "the volume settings: {size: 10Gi}", errors)
          .ifPresent(config -> checkVolumeConfig(config, FieldPath.child(path, "config"), errors));
      case PULSAR -> childObject(flow, "config", path, false, "", errors);
      case REPOSITORY -> repository =
          childObject(flow, "config", path, true, "the repository settings: {kind: git, size: 1Gi}", errors)
              .flatMap(config -> parseRepositoryConfig(config, FieldPath.child(path, "config"), errors));
      default -> throw new AssertionError("unhandled flow type " + type.get());
    }
    if (!validName) {
      return Optional.empty();
    }
    return Optional.of(new Flow(name, type.get(), repository));
  }

  private static boolean checkName(String name, String path, ErrorCollector errors) {
    if (!GraphParser.NAME_KEY.matcher(name).matches()) {
      errors.add(
          path,
          "invalid flow name " + quote(name) + "; use lower-case letters, digits and '-', starting and ending with a "
              + "letter or digit");
      return false;
    }
    if (name.length() > MAX_FLOW_NAME_LENGTH) {
      errors.add(
          path,
          "flow name " + quote(name) + " has " + name.length() + " characters, more than " + MAX_FLOW_NAME_LENGTH
              + ", so its pod volume name \"" + GraphNames.FLOW_VOLUME_PREFIX + "<flow>\" would exceed 63; "
              + "use a shorter name");
      return false;
    }
    return true;
  }

  private static void checkVolumeConfig(ObjectNode config, String path, ErrorCollector errors) {
    JsonFields.rejectUnknownFields(config, path, VOLUME_CONFIG_FIELDS, errors);
    checkSize(config, path, errors);
    checkReclaimPolicy(config, path, errors);
  }

  private static void checkSize(ObjectNode config, String path, ErrorCollector errors) {
    JsonNode size = JsonFields.field(config, "size");
    String sizePath = FieldPath.child(path, "size");
    if (size == null) {
      errors.add(sizePath, "is required; set the storage size, such as \"10Gi\"");
      return;
    }
    if (!size.isTextual() && !size.isNumber()) {
      errors.add(sizePath, "must be a quantity such as \"10Gi\", not " + describe(size));
      return;
    }
    Optional<Quantity> quantity = Quantity.parse(size.asText());
    if (quantity.isEmpty() || quantity.get().value().signum() <= 0) {
      errors.add(
          sizePath,
          "invalid size " + quote(size.asText()) + "; use a positive Kubernetes quantity such as \"10Gi\" or \"500Mi\"");
    }
  }

  private static void checkReclaimPolicy(ObjectNode config, String path, ErrorCollector errors) {
    childString(config, "reclaimPolicy", path, false, "", errors).ifPresent(policy -> {
      if (!RECLAIM_POLICIES.contains(policy)) {
        errors.add(
            FieldPath.child(path, "reclaimPolicy"),
            "invalid reclaim policy " + quote(policy) + "; use Retain or Delete (the default)");
      }
    });
  }

  private static Optional<RepositoryConfig> parseRepositoryConfig(ObjectNode config, String path, ErrorCollector errors) {
    Optional<String> kind =
        childString(config, "kind", path, true, "the repository kind: git or dvc", errors).filter(k -> {
          if (RepositoryConfig.GIT.equals(k) || RepositoryConfig.DVC.equals(k)) {
            return true;
          }
          errors.add(FieldPath.child(path, "kind"), "invalid repository kind " + quote(k) + "; use git or dvc");
          return false;
        });
    JsonFields.rejectUnknownFields(
        config, path, kind.filter(RepositoryConfig.GIT::equals).isPresent() ? GIT_CONFIG_FIELDS : DVC_CONFIG_FIELDS, errors);
    checkSize(config, path, errors);
    checkReclaimPolicy(config, path, errors);
    for (String field : new String[] {"username", "useremail", "defaultBranch", "storageRemoteName"}) {
      childString(config, field, path, false, "", errors);
    }
    childString(config, "secret", path, false, "", errors).filter(s -> !JsonFields.isDnsSubdomain(s)).ifPresent(s ->
        errors.add(
            FieldPath.child(path, "secret"),
            "invalid Secret name " + quote(s) + "; name a Secret in the graph's namespace"));

    Optional<String> remote = childString(config, "remote", path, false, "", errors);
    remote.ifPresent(r -> checkRemote(r, FieldPath.child(path, "remote"), errors));
    Optional<String> storageRemote = childString(config, "storageRemote", path, false, "", errors);
    Optional<String> storageSecret = childString(config, "storageSecret", path, false, "", errors);
    Optional<String> storageSecretType = childString(config, "storageSecretType", path, false, "", errors);
    if (kind.isEmpty()) {
      return Optional.empty();
    }
    if (RepositoryConfig.DVC.equals(kind.get())) {
      checkDvcStorage(path, remote, storageRemote, storageSecret, storageSecretType, errors);
    }
    return Optional.of(new RepositoryConfig(kind.get(), remote, storageRemote, storageSecret, storageSecretType));
  }

  private static void checkRemote(String remote, String path, ErrorCollector errors) {
    if (SCP_REMOTE.matcher(remote).matches()) {
      return;
    }
    try {
      URI uri = new URI(remote);
      if (Set.of("http", "https", "ssh").contains(String.valueOf(uri.getScheme())) && uri.getHost() != null) {
        return;
      }
    } catch (URISyntaxException e) {
      // Reported below with the accepted forms.
    }
    errors.add(
        path,
        "invalid git remote " + quote(remote) + "; use an https:// or ssh:// URL, or the scp form user@host:path");
  }

  /** Checks the DVC storage settings that the original Rampart checked only at deploy time. */
  private static void checkDvcStorage(
      String path,
      Optional<String> remote,
      Optional<String> storageRemote,
      Optional<String> storageSecret,
      Optional<String> storageSecretType,
      ErrorCollector errors) {
    storageRemote.ifPresent(url -> {
      if (!url.startsWith("s3://") || url.length() == "s3://".length()) {
        errors.add(
            FieldPath.child(path, "storageRemote"),
            "unsupported DVC storage remote " + quote(url) + "; use an s3:// URL such as \"s3://bucket/path\"");
      }
    });
    storageSecretType.ifPresent(t -> {
      if (!"s3".equals(t)) {
        errors.add(FieldPath.child(path, "storageSecretType"), "unsupported DVC storage secret type " + quote(t) + "; use s3");
      }
    });
    if (remote.isPresent() && storageSecret.isPresent() && storageRemote.isEmpty() && storageSecretType.isEmpty()) {
      errors.add(
          FieldPath.child(path, "storageSecretType"),
          "is required when remote and storageSecret are set without storageRemote; set it to s3");
    }
  }
}
