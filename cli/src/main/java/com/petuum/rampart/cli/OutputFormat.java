package com.petuum.rampart.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.util.Locale;

/** The {@code -o} values of commands that print a table: the table, or the same data as JSON or YAML. */
enum OutputFormat {
  TEXT,
  JSON,
  YAML;

  private static final ObjectMapper JSON_WRITER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper YAML_WRITER = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      // "6" stays a string and True stays text when the YAML is read back.
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));

  /**
   * Renders {@code document} in this format, without a trailing line break.
   *
   * @throws IllegalStateException for {@link #TEXT}, which each command prints as its own table
   */
  String render(JsonNode document) {
    try {
      return switch (this) {
        case JSON -> JSON_WRITER.writeValueAsString(document);
        case YAML -> YAML_WRITER.writeValueAsString(document).stripTrailing();
        case TEXT -> throw new IllegalStateException("text output is a table that each command prints itself");
      };
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot render the output as " + this, e);
    }
  }

  /** Converts {@code -o} text for picocli, naming the accepted values when it is wrong. */
  static final class Converter implements picocli.CommandLine.ITypeConverter<OutputFormat> {
    @Override
    public OutputFormat convert(String value) {
      try {
        return OutputFormat.valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException("'" + value + "' (expected: text, json or yaml)");
      }
    }
  }
}
