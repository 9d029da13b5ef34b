// getBalancedConsumer's branch for `managed` false or absent (pykafka's
// default): the ZooKeeper-coordinated BalancedConsumer.
//
// ZOOKEEPER BALANCED CONSUMER: NOT ON THIS BRANCH YET. This is the one
// place to change when src/consumer/balanced_consumer.ts lands: return the
// BalancedConsumer for `topics` here (topic.ts and client.ts both call it).

import { UnsupportedFeatureError } from "../errors/mod.ts";
import type { Cluster, ClusterTopic } from "../cluster/mod.ts";

/**
 * The ZooKeeper BalancedConsumer of `topics` with `options` (for now:
 * throws `UnsupportedFeatureError`, as it is not available yet).
 */
export function zookeeperBalancedConsumer(
  _cluster: Cluster,
  _topics: readonly (ClusterTopic | string)[],
  _options: unknown,
): never {
  throw new UnsupportedFeatureError(
    "the ZooKeeper BalancedConsumer is not available yet; pass managed: true for the ManagedBalancedConsumer (Kafka's group protocol, no ZooKeeper)",
  );
}
