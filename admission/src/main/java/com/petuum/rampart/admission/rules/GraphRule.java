package com.petuum.rampart.admission.rules;

import com.petuum.rampart.admission.model.RampartGraph;

/**
 * One semantic rule over a parsed graph. Implementations are stateless, must not throw, and report
 * every violation they find, not only the first.
 */
interface GraphRule {

  void check(RampartGraph graph, ErrorCollector errors);
}
