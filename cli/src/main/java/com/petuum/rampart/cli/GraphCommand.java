package com.petuum.rampart.cli;

import picocli.CommandLine.Command;

/** Groups the commands that work on RampartGraph files and objects. */
@Command(
    name = "graph",
    mixinStandardHelpOptions = true,
    description = "Validates, explains and inspects RampartGraphs.",
    subcommands = {GraphExplainCommand.class, GraphValidateCommand.class, GraphStatusCommand.class})
final class GraphCommand {}
