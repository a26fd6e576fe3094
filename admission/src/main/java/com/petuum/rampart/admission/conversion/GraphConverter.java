package com.petuum.rampart.admission.conversion;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.petuum.rampart.admission.model.GraphVersion;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts RampartGraph objects between the served versions without losing any field.
 *
 * <p>A version that cannot hold a field keeps it in the annotation {@value #CONVERSION_ANNOTATION}
 * as JSON, in the shape of the spec: {@code {"deploy": false, "placement": {...}, "components":
 * {"trainer": {"resources": [...], "placement": {...}}}}}. Converting to a version that has the
 * field moves it back into the spec and drops the annotation once it is empty. So any object read
 * through an older version and written back keeps {@code spec.deploy: false} and its placement.
 *
 * <p>Rules when the annotation and the spec disagree: a value in the spec wins over the
 * annotation, and a component's saved fields are dropped once the component is gone from the
 * spec. An annotation that is not a JSON object is ignored: it stays as it is, unless the conversion
 * has fields to save, which then replace it. Stateless and thread-safe.
 */
public final class GraphConverter {

  /** Annotation that carries the fields an older version cannot hold. */
  public static final String CONVERSION_ANNOTATION = "rampart.petuum.com/conversion-data";

  private static final Logger log = LoggerFactory.getLogger(GraphConverter.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Fields of a component that only v1 holds. */
  private static final List<String> V1_COMPONENT_FIELDS = List.of("resources", "placement");

  /**
   * Returns a copy of {@code object} in version {@code target}; {@code object} is not changed.
   *
   * @throws ConversionException when the object is not a RampartGraph of a served version
   */
  public ObjectNode convert(JsonNode object, GraphVersion target) throws ConversionException {
    if (!(object instanceof ObjectNode original)) {
      throw new ConversionException("a RampartGraph must be a JSON object");
    }
    String apiVersion = original.path("apiVersion").asText("");
    if (GraphVersion.fromApiVersion(apiVersion).isEmpty()) {
      throw new ConversionException(
          "cannot convert apiVersion \"" + apiVersion + "\"; served versions are " + GraphVersion.servedApiVersions());
    }
    ObjectNode converted = original.deepCopy();
    converted.put("apiVersion", target.apiVersion());
    if (!(converted.get("spec") instanceof ObjectNode spec)) {
      return converted;
    }

    ObjectNode saved = takeSavedFields(converted).orElseGet(JSON::createObjectNode);
    restore(spec, saved);
    ObjectNode stillSaved = JSON.createObjectNode();
    if (!target.hasDeploy()) {
      move(spec, "deploy", stillSaved);
    }
    if (!target.hasPlacement()) {
      move(spec, "placement", stillSaved);
      saveComponentFields(spec, stillSaved);
    }
    if (!stillSaved.isEmpty()) {
      putAnnotation(converted, stillSaved);
    }
    return converted;
  }

  /**
   * Removes the conversion annotation and returns its content; empty when there is none or it is
   * not a JSON object, in which case the annotation stays where it is.
   */
  private static Optional<ObjectNode> takeSavedFields(ObjectNode object) {
    if (!(object.path("metadata").path("annotations") instanceof ObjectNode annotations)) {
      return Optional.empty();
    }
    JsonNode value = annotations.get(CONVERSION_ANNOTATION);
    if (value == null) {
      return Optional.empty();
    }
    try {
      JsonNode parsed = JSON.readTree(value.asText());
      if (!(parsed instanceof ObjectNode saved)) {
        log.warn("Ignoring a conversion annotation that is not a JSON object. name={}", objectName(object));
        return Optional.empty();
      }
      annotations.remove(CONVERSION_ANNOTATION);
      if (annotations.isEmpty()) {
        ((ObjectNode) object.get("metadata")).remove("annotations");
      }
      return Optional.of(saved);
    } catch (JsonProcessingException e) {
      log.warn("Ignoring a conversion annotation that does not parse. name={} error={}", objectName(object), e.getOriginalMessage());
      return Optional.empty();
    }
  }

  /** Puts saved fields back into the spec, where the spec does not already set them. */
  private static void restore(ObjectNode spec, ObjectNode saved) {
    Iterator<Map.Entry<String, JsonNode>> fields = saved.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (field.getKey().equals("components")) {
        restoreComponentFields(spec, field.getValue());
      } else if (!spec.has(field.getKey())) {
        spec.set(field.getKey(), field.getValue());
      }
    }
  }

  private static void restoreComponentFields(ObjectNode spec, JsonNode savedComponents) {
    if (!(spec.path("graph").path("components") instanceof ObjectNode components)) {
      return;
    }
    Iterator<Map.Entry<String, JsonNode>> entries = savedComponents.fields();
    while (entries.hasNext()) {
      Map.Entry<String, JsonNode> entry = entries.next();
      if (!(components.get(entry.getKey()) instanceof ObjectNode component)) {
        continue;
      }
      Iterator<Map.Entry<String, JsonNode>> fields = entry.getValue().fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (!component.has(field.getKey())) {
          component.set(field.getKey(), field.getValue());
        }
      }
    }
  }

  private static void move(ObjectNode from, String field, ObjectNode to) {
    JsonNode value = from.remove(field);
    if (value != null) {
      to.set(field, value);
    }
  }

  private static void saveComponentFields(ObjectNode spec, ObjectNode saved) {
    if (!(spec.path("graph").path("components") instanceof ObjectNode components)) {
      return;
    }
    ObjectNode savedComponents = JSON.createObjectNode();
    List<String> names = new ArrayList<>();
    components.fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      if (!(components.get(name) instanceof ObjectNode component)) {
        continue;
      }
      ObjectNode savedComponent = JSON.createObjectNode();
      for (String field : V1_COMPONENT_FIELDS) {
        move(component, field, savedComponent);
      }
      if (!savedComponent.isEmpty()) {
        savedComponents.set(name, savedComponent);
      }
    }
    if (!savedComponents.isEmpty()) {
      saved.set("components", savedComponents);
    }
  }

  private static void putAnnotation(ObjectNode object, ObjectNode saved) {
    ObjectNode metadata = object.get("metadata") instanceof ObjectNode m ? m : object.putObject("metadata");
    ObjectNode annotations =
        metadata.get("annotations") instanceof ObjectNode a ? a : metadata.putObject("annotations");
    try {
      annotations.put(CONVERSION_ANNOTATION, JSON.writeValueAsString(saved));
    } catch (JsonProcessingException e) {
      throw new AssertionError("a JSON tree always serialises", e);
    }
  }

  private static String objectName(ObjectNode object) {
    return object.path("metadata").path("namespace").asText("") + "/" + object.path("metadata").path("name").asText("");
  }
}
