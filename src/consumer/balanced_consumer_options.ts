/**
 * {@linkcode BalancedConsumerOptions}: the options of the ZooKeeper
 * coordinated {@linkcode BalancedConsumer} (pykafka's `BalancedConsumer`
 * arguments, camelCased): the SimpleConsumer's, the shared rebalance
 * options (`balanced_options.ts`) and the ZooKeeper ones; their defaults
 * and validation.
 *
 * @module
 */

import { type ClusterTopic, ZookeeperClient } from "../cluster/mod.ts";
import {
  type CheckedOptions,
  optionRangeError,
  rules,
  validateOptions,
} from "../util/options.ts";
import {
  BALANCED_CONSUMER_DEFAULTS,
  BALANCED_CONSUMER_RULES,
  type BalancedConsumerCommonOptions,
  type PostRebalanceCallback,
} from "./balanced_options.ts";
import {
  type GroupMembershipProtocol,
  RangeProtocol,
} from "./membership_protocol.ts";
import {
  consumerOptionsFrom,
  type ResolvedConsumerOptions,
} from "./options.ts";
import type { BalancedConsumer } from "./balanced_consumer.ts";

/**
 * Options of a {@linkcode BalancedConsumer}
 * (`topic.getBalancedConsumer({ consumerGroup, ... })`): every argument of
 * pykafka's `BalancedConsumer`, camelCased, with pykafka's defaults — the
 * SimpleConsumer's options (but `partitions`, which the group decides),
 * `consumerGroup` (required), `rebalanceMaxRetries`, `rebalanceBackoffMs`,
 * `postRebalanceCallback`, `membershipProtocol`, and the ZooKeeper options
 * below. Checked when the consumer is made: an unknown option or a wrong
 * type throws a `TypeError`, a value out of range a `RangeError`, naming
 * `BalancedConsumer`, the option and the value.
 *
 * @typeParam V the type of `message.value` (see `deserializer`)
 * @typeParam K the type of `message.partitionKey` (see `deserializer`)
 *
 * @example
 * ```ts
 * import type { BalancedConsumerOptions } from "./balanced_consumer_options.ts";
 * import { RoundRobinProtocol } from "./membership_protocol.ts";
 * const options: BalancedConsumerOptions = {
 *   consumerGroup: "billing",
 *   zookeeperHosts: "zk1:2181,zk2:2181/kafka",
 *   autoCommitEnable: true,
 *   membershipProtocol: RoundRobinProtocol,
 *   rebalanceBackoffMs: 1000,
 * };
 * ```
 */
export interface BalancedConsumerOptions<
  V = Uint8Array | null,
  K = Uint8Array | null,
> extends BalancedConsumerCommonOptions<BalancedConsumer<V, K>, V, K> {
  /**
   * The ZooKeeper connection string of the group (`"zk1:2181,zk2:2181"`,
   * with the Kafka cluster's chroot at the end if it has one:
   * `"zk1:2181/kafka"`). Default: the client's `zookeeperHosts`, else
   * pykafka's `"127.0.0.1:2181"`. Ignored when `zookeeper` is given.
   */
  zookeeperHosts?: string;
  /**
   * pykafka's deprecated name of `zookeeperHosts`; when both are given
   * this one wins, as in pykafka.
   *
   * @deprecated use `zookeeperHosts`
   */
  zookeeperConnect?: string;
  /**
   * A {@linkcode ZookeeperClient} to use instead of making one (pykafka's
   * `zookeeper`, a `KazooClient`): started if it is not, shared with
   * whatever else uses it, and never closed by the consumer; `stop()`
   * deletes the consumer's own nodes from it.
   */
  zookeeper?: ZookeeperClient;
  /**
   * The ZooKeeper session timeout, which is also how long `start()` waits
   * for a session, in ms (default 6000; pykafka hands it to kazoo as its
   * `timeout`, which is both). Only used when the consumer makes its own
   * client.
   */
  zookeeperConnectionTimeoutMs?: number;
}

/**
 * Counters of a {@linkcode BalancedConsumer}'s rebalances
 * (`consumer.rebalanceStats`), for diagnostics and tests.
 *
 * @example
 * ```ts
 * import type { RebalanceStats } from "./balanced_consumer_options.ts";
 * const describe = (s: Readonly<RebalanceStats>) =>
 *   `${s.steps} rebalance steps, ${s.failures} failed, ${s.changes} changed the partitions`;
 * console.log(describe({ steps: 3, failures: 1, changes: 2 }));
 * ```
 */
export interface RebalanceStats {
  /** Steps run. */
  steps: number;
  /** Steps that failed or left a partition to claim. */
  failures: number;
  /** Steps that changed the partitions held. */
  changes: number;
}

/**
 * pykafka's defaults of the ZooKeeper options.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BALANCED_CONSUMER_ZOOKEEPER_DEFAULTS } from "./balanced_consumer_options.ts";
 * assert.equal(BALANCED_CONSUMER_ZOOKEEPER_DEFAULTS.zookeeperHosts, "127.0.0.1:2181");
 * assert.equal(BALANCED_CONSUMER_ZOOKEEPER_DEFAULTS.zookeeperConnectionTimeoutMs, 6000);
 * ```
 */
export const BALANCED_CONSUMER_ZOOKEEPER_DEFAULTS: {
  readonly zookeeperHosts: string;
  readonly zookeeperConnectionTimeoutMs: number;
} = Object.freeze({
  zookeeperHosts: "127.0.0.1:2181",
  zookeeperConnectionTimeoutMs: 6000,
});

const ZOOKEEPER_CONSUMER_RULES = {
  ...BALANCED_CONSUMER_RULES,
  zookeeperHosts: rules.string(true),
  zookeeperConnect: rules.string(true),
  zookeeper: rules.check<ZookeeperClient>(
    "a ZookeeperClient",
    (v) => v instanceof ZookeeperClient,
  ),
  zookeeperConnectionTimeoutMs: rules.ms(1),
};

/** Every option with its default filled in (internal). */
export interface ResolvedBalancedConsumerOptions<V, K>
  extends ResolvedConsumerOptions<V, K> {
  consumerGroup: string;
  rebalanceMaxRetries: number;
  rebalanceBackoffMs: number;
  postRebalanceCallback:
    | PostRebalanceCallback<BalancedConsumer<V, K>>
    | undefined;
  membershipProtocol: GroupMembershipProtocol;
  /** The connection string (resolved against the topic's cluster). */
  zookeeperHosts: string;
  zookeeper: ZookeeperClient | undefined;
  zookeeperConnectionTimeoutMs: number;
}

/**
 * Checks `options` for a consumer of `topic` and fills in the defaults
 * (internal).
 */
export function resolveBalancedConsumerOptions<V, K>(
  topic: ClusterTopic,
  options: BalancedConsumerOptions<V, K>,
): ResolvedBalancedConsumerOptions<V, K> {
  const owner = "BalancedConsumer";
  const c: CheckedOptions<typeof ZOOKEEPER_CONSUMER_RULES> = validateOptions(
    owner,
    options,
    ZOOKEEPER_CONSUMER_RULES,
  );
  const base = consumerOptionsFrom<V, K>(
    { ...c, partitions: undefined },
    owner,
  );
  // The group is a ZooKeeper path element (pykafka also wants ASCII).
  if (
    !/^[\x20-\x7e]+$/.test(c.consumerGroup) || c.consumerGroup.includes("/") ||
    c.consumerGroup === "." || c.consumerGroup === ".."
  ) {
    throw optionRangeError(
      owner,
      "consumerGroup",
      'printable ASCII without "/" (it names a ZooKeeper node)',
      c.consumerGroup,
    );
  }
  return {
    ...base,
    consumerGroup: c.consumerGroup,
    rebalanceMaxRetries: c.rebalanceMaxRetries ??
      BALANCED_CONSUMER_DEFAULTS.rebalanceMaxRetries,
    rebalanceBackoffMs: c.rebalanceBackoffMs ??
      BALANCED_CONSUMER_DEFAULTS.rebalanceBackoffMs,
    postRebalanceCallback: c.postRebalanceCallback as
      | PostRebalanceCallback<BalancedConsumer<V, K>>
      | undefined,
    membershipProtocol: c.membershipProtocol ?? RangeProtocol,
    zookeeperHosts: c.zookeeper?.hosts ?? c.zookeeperConnect ??
      c.zookeeperHosts ?? topic.cluster.zookeeperHosts ??
      BALANCED_CONSUMER_ZOOKEEPER_DEFAULTS.zookeeperHosts,
    zookeeper: c.zookeeper,
    zookeeperConnectionTimeoutMs: c.zookeeperConnectionTimeoutMs ??
      BALANCED_CONSUMER_ZOOKEEPER_DEFAULTS.zookeeperConnectionTimeoutMs,
  };
}
