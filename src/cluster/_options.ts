/**
 * The option rules of the cluster layer (internal): `ConnectionSettings`
 * (every connection of a `Broker`), `ClusterOptions` and
 * `TopicDict.get`'s options, for the one validator of
 * `src/util/options.ts`. `KafkaClient` checks its options with the
 * cluster's table.
 *
 * @module
 */

import { type OptionRule, rules } from "../util/options.ts";
import {
  backoffRule,
  BROKER_CONNECTION_RULES,
  brokerVersionRule,
  MANAGED_CONNECTION_RULES,
  saslConfigRule,
  sourceAddressRule,
  sslConfigRule,
} from "../network/_options.ts";
import { type HostPort, parseHosts } from "./hosts.ts";
import type { UseWorkers } from "./use_workers.ts";

/** The rules of `ConnectionSettings`. */
export const CONNECTION_SETTINGS_RULES = {
  clientId: BROKER_CONNECTION_RULES.clientId,
  socketTimeoutMs: rules.ms(1),
  offsetsChannelSocketTimeoutMs: rules.ms(1),
  sslConfig: sslConfigRule,
  sasl: saslConfigRule,
  brokerVersion: brokerVersionRule,
  sourceAddress: sourceAddressRule,
  connectAttempts: MANAGED_CONNECTION_RULES.connectAttempts,
  reconnectBackoff: backoffRule,
  maxFrameBytes: BROKER_CONNECTION_RULES.maxFrameBytes,
  transport: BROKER_CONNECTION_RULES.transport,
  legacyDetection: BROKER_CONNECTION_RULES.legacyDetection,
};

/** `hosts`: `"h1:9092,h2:9092"` or an array of them, returned parsed. */
export const hostsRule: OptionRule<HostPort[]> = rules.parse(
  rules.check<string | string[]>(
    "a string or an array of strings",
    (v) =>
      typeof v === "string" ||
      (Array.isArray(v) && v.every((h) => typeof h === "string")),
  ),
  `"host:port,host:port" (IPv6 in brackets, port 1-65535)`,
  parseHosts,
);

/** `zookeeperHosts`: a non-empty ZooKeeper connection string. */
const zookeeperHostsRule: OptionRule<string> = rules.string(true);

/** The rules of `ClusterOptions`. */
export const CLUSTER_OPTION_RULES = {
  ...CONNECTION_SETTINGS_RULES,
  hosts: hostsRule,
  zookeeperHosts: zookeeperHostsRule,
  zookeeperListenerName: rules.string(true),
  excludeInternalTopics: rules.bool(),
  metadataRefreshIntervalMs: rules.ms(0),
  autoCreateTopics: rules.bool(),
  autoCreateTimeoutMs: rules.ms(1),
  coordinatorTimeoutMs: rules.ms(1),
  retryTimeoutMs: rules.ms(1),
  topicFactory: rules.func("a function (cluster, metadata) => topic"),
  useWorkers: rules.oneOf<UseWorkers>(
    [false, true, "decode", "sockets"],
    'false, true, "decode" or "sockets"',
  ),
};

/** The rules of `TopicGetOptions` (`topics.get(name, options)`). */
export const TOPIC_GET_RULES = {
  autoCreate: rules.bool(),
  timeoutMs: rules.ms(0),
  signal: rules.signal(),
};
