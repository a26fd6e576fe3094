package com.petuum.rampart.testbed;

/** The kind of test cluster, which decides what runs besides etcd and kube-apiserver. */
public enum ClusterRole {
  /**
   * The hub: a controller manager limited to namespaces, garbage collection, service accounts and
   * role aggregation, as a federation control plane needs; no nodes, no scheduler.
   */
  HUB,
  /** A member: the full controller manager, kube-scheduler, and KWOK with fake nodes. */
  MEMBER
}
