// getBalancedConsumer's branch for `managed` false or absent (pykafka's
// default): the ZooKeeper-coordinated BalancedConsumer. topic.ts (and
// client.ts, for its `topics` form) call it; the `managed: true` branch is
// the ManagedBalancedConsumer's.

import type { Cluster, ClusterTopic } from "../cluster/mod.ts";
import { UnsupportedFeatureError } from "../errors/mod.ts";
import {
  type BalancedConsumer,
  type BalancedConsumerOptions,
  createBalancedConsumer,
} from "../consumer/mod.ts";

/**
 * The ZooKeeper `BalancedConsumer` of `topics` with `options` (a `managed`
 * option, `false` or absent, is dropped). pykafka's `BalancedConsumer`
 * consumes one topic: `topics` must be one `ClusterTopic` (a topic name, or
 * several topics, is an `UnsupportedFeatureError`: use
 * `topic.getBalancedConsumer`, or `managed: true` for several topics).
 */
export function zookeeperBalancedConsumer<V, K>(
  _cluster: Cluster,
  topics: readonly (ClusterTopic | string)[],
  options: unknown,
): BalancedConsumer<V, K> {
  if (topics.length !== 1 || typeof topics[0] === "string") {
    throw new UnsupportedFeatureError(
      "the ZooKeeper BalancedConsumer consumes one topic, as pykafka's: use topic.getBalancedConsumer({ consumerGroup, ... }), or managed: true for several topics",
    );
  }
  let rest = options;
  if (options !== null && typeof options === "object" && "managed" in options) {
    const { managed, ...others } = options as { managed?: unknown };
    if (managed !== false && managed !== undefined) {
      throw new TypeError(
        `BalancedConsumer option managed must be false or absent here, got ${typeof managed}`,
      );
    }
    rest = others;
  }
  return createBalancedConsumer<V, K>(
    topics[0],
    rest as BalancedConsumerOptions<V, K>,
  );
}
