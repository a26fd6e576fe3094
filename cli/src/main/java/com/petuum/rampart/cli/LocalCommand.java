package com.petuum.rampart.cli;

import com.petuum.rampart.cli.local.LocalDown;
import com.petuum.rampart.cli.local.LocalStatus;
import com.petuum.rampart.cli.local.LocalUp;
import picocli.CommandLine.Command;

/** Groups the commands that run a whole federation on this machine, for trying it out and tests. */
@Command(
    name = "local",
    mixinStandardHelpOptions = true,
    description = "Runs a local federation on 127.0.0.1: a hub cluster, three member clusters and ZooKeeper.",
    subcommands = {LocalUp.class, LocalDown.class, LocalStatus.class})
final class LocalCommand {}
