package com.petuum.rampart.hub.dispatch;

/** A slice an agent reports holding in its Hello. Immutable. */
public record HeldSlice(String graphUid, long generation, String sliceHash) {}
