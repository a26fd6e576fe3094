package com.petuum.rampart.bench.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.petuum.rampart.admission.conversion.ConversionException;
import com.petuum.rampart.admission.conversion.GraphConverter;
import com.petuum.rampart.admission.model.GraphVersion;
import com.petuum.rampart.admission.rules.GraphValidator;
import com.petuum.rampart.admission.rules.ValidationReport;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time to validate, and to convert, one graph of 10, 100 and 500 components, in the JVM without
 * an apiserver: the work the webhook does per request after it has parsed the JSON body.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
public class GraphValidationBenchmark {

  @Param({"10", "100", "500"})
  int components;

  private final GraphValidator validator = new GraphValidator();
  private final GraphConverter converter = new GraphConverter();
  private ObjectNode graph;
  private ObjectNode previous;
  private ObjectNode v1beta1;

  @Setup(Level.Trial)
  public void buildGraph() throws ConversionException {
    graph = GraphFixtures.pipeline("pipeline", components);
    previous = graph.deepCopy();
    previous.putObject("status").put("phase", "Deployed");
    v1beta1 = converter.convert(graph, GraphVersion.V1BETA1);
    ValidationReport report = validator.validate(graph, "bench");
    if (!report.isValid()) {
      throw new IllegalStateException("the benchmark graph must be valid: " + report.describeErrors());
    }
  }

  @Benchmark
  public ValidationReport validateCreate() {
    return validator.validate(graph, "bench");
  }

  @Benchmark
  public ValidationReport validateUpdate() {
    return validator.validateUpdate(graph, previous, "bench");
  }

  @Benchmark
  public JsonNode convertV1beta1ToV1() throws ConversionException {
    return converter.convert(v1beta1, GraphVersion.V1);
  }
}
