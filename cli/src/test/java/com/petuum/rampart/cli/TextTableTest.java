package com.petuum.rampart.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TextTableTest {

  private static String print(TextTable table) {
    StringWriter text = new StringWriter();
    PrintWriter out = new PrintWriter(text);
    table.print(out);
    out.flush();
    return text.toString();
  }

  @Test
  void padsEachColumnToItsWidestCell() {
    TextTable table = new TextTable("NAME", "PHASE").add("web", "Deployed").add("trainer-long", "Pending");

    assertThat(print(table).lines()).containsExactly(
        "NAME           PHASE",
        "web            Deployed",
        "trainer-long   Pending");
  }

  @Test
  void keepsAMultiLineCellOnItsRow() {
    TextTable table = new TextTable("COMPONENT", "MESSAGE", "AGE")
        .add("web", "graph is unschedulable\n  group [web]: 0 of 3 clusters fit\r\n", "5s");

    assertThat(print(table).lines()).containsExactly(
        "COMPONENT   MESSAGE                                                    AGE",
        "web         graph is unschedulable; group [web]: 0 of 3 clusters fit   5s");
  }

  @Test
  void showsEmptyCellsAsNone() {
    TextTable table = new TextTable("NAME", "CLUSTER").add("web", " ");

    assertThat(print(table).lines()).containsExactly("NAME   CLUSTER", "web    <none>");
  }
}
