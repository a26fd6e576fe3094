package com.petuum.rampart.common.logging;

/** Format of the log lines a process writes to standard error. */
public enum LogFormat {
  /** One human-readable line per event: time, level, thread, logger, context fields, message. */
  TEXT,
  /** One JSON object per line, for log collectors such as Fluent Bit, Vector or Promtail. */
  JSON
}
