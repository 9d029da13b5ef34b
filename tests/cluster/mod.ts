/**
 * Test helper for the local Kafka cluster started by `deno task cluster:up`:
 * connection strings of every listener and broker, TLS file paths, SASL
 * users, and stopping/restarting one broker by id.
 *
 * ```ts ignore stops a broker, which would disturb the tests running beside it
 * import { cluster } from "../cluster/mod.ts";
 * const hosts = cluster.bootstrap("kafka39", "PLAINTEXT"); // "127.0.0.1:19192,127.0.0.1:19292"
 * const tls = cluster.tls;                                 // { caFile, clientCertFile, ... }
 * await cluster.stopBroker(2);   // SIGTERM: a controlled shutdown
 * await cluster.startBroker(2);
 * await cluster.killBroker(2);   // SIGKILL: a crash
 * ```
 *
 * @module
 */

import {
  BROKERS,
  type BrokerSpec,
  KAFKA_39_VERSION,
  KAFKA_4_VERSION,
  type ListenerSpec,
  SASL_MECHANISMS,
  SASL_USERS,
  TLS_KEY_PASSWORD,
  type TlsPaths,
  tlsPaths,
  ZOOKEEPER_CHROOT,
  ZOOKEEPER_PORT,
} from "./layout.ts";
import {
  clusterStatus,
  clusterUp,
  killBroker,
  logFile,
  startBroker,
  stopBroker,
} from "./manager.ts";

export type { BrokerSpec, ListenerSpec, TlsPaths };

/** Which of the two clusters. */
export type ClusterName = "kafka39" | "kafka4";

/** Listener names a broker may have. */
export type ListenerName =
  | "PLAINTEXT"
  | "SSL"
  | "SASL_PLAINTEXT"
  | "SASL_SSL"
  | "MTLS";

function listener(b: BrokerSpec, name: ListenerName): ListenerSpec {
  const l = b.listeners.find((x) => x.name === name);
  if (!l) throw new RangeError(`broker ${b.id} has no ${name} listener`);
  return l;
}

/** The local test cluster. */
export const cluster = {
  /** Kafka version of each cluster. */
  versions: { kafka39: KAFKA_39_VERSION, kafka4: KAFKA_4_VERSION } as const,
  /** Every broker with its listeners. */
  brokers: BROKERS,
  /** Broker ids of one cluster. */
  brokerIds(name: ClusterName): number[] {
    return BROKERS.filter((b) => b.cluster === name).map((b) => b.id);
  },
  /** `host:port` of one listener of one broker. */
  address(brokerId: number, name: ListenerName): string {
    const b = BROKERS.find((x) => x.id === brokerId);
    if (!b) throw new RangeError(`no broker ${brokerId}`);
    return `127.0.0.1:${listener(b, name).port}`;
  },
  /** Comma-separated bootstrap list of one listener over every broker of a cluster. */
  bootstrap(name: ClusterName, listenerName: ListenerName): string {
    return BROKERS.filter((b) => b.cluster === name).map((b) =>
      `127.0.0.1:${listener(b, listenerName).port}`
    )
      .join(",");
  },
  /** ZooKeeper connection string of the Kafka 3.9 cluster, chroot included. */
  zookeeper: `127.0.0.1:${ZOOKEEPER_PORT}${ZOOKEEPER_CHROOT}`,
  /** ZooKeeper connection string without the chroot. */
  zookeeperRoot: `127.0.0.1:${ZOOKEEPER_PORT}`,
  /** TLS files generated at start. */
  get tls(): TlsPaths {
    return tlsPaths();
  },
  /** Password of `tls.clientEncryptedKeyFile`. */
  tlsKeyPassword: TLS_KEY_PASSWORD,
  /** SASL users (valid for PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512). */
  sasl: SASL_USERS,
  /** SASL mechanisms the SASL listeners accept. */
  saslMechanisms: SASL_MECHANISMS,
  /** Log file of a process: "zookeeper" or "broker-<id>". */
  logFile,
  /** Starts the cluster if it is not running (idempotent). */
  ensureUp(): Promise<void> {
    return clusterUp({ log: () => {} });
  },
  /** True when every process of the cluster runs. */
  async isUp(): Promise<boolean> {
    return (await clusterStatus()).every((s) => s.pid !== null);
  },
  /** Stops one broker by id and waits until it has exited. */
  stopBroker(id: number): Promise<void> {
    return stopBroker(id, { log: () => {} });
  },
  /**
   * Kills one broker by id with SIGKILL (a crash) and waits until it has
   * exited. In ZooKeeper mode its partitions move only when its session
   * expires (18 s), and it can register again only then.
   */
  killBroker(id: number): Promise<void> {
    return killBroker(id, { log: () => {} });
  },
  /** Starts one broker by id (keeping its data) and waits until it serves. */
  startBroker(id: number): Promise<void> {
    return startBroker(id, { log: () => {} });
  },
} as const;
