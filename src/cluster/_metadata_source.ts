// Where a cluster's metadata comes from: a live known broker (connected
// ones first, in random order), else the bootstrap hosts (or the brokers
// registered in ZooKeeper), each asked through a short-lived connection.
// `NoBrokersAvailableError` names every host tried and why it failed. The
// `Cluster`'s bootstrap and refreshes ask through one.

import {
  AuthenticationError,
  AuthorizationError,
  KafkaError,
  NetworkPermissionError,
  NoBrokersAvailableError,
} from "../errors/mod.ts";
import { errorText } from "../util/error_text.ts";
import type { MetadataResponse } from "../protocol/mod.ts";
import { Broker, type ConnectionSettings } from "./broker.ts";
import { formatHostPort, type HostPort } from "./hosts.ts";
import {
  discoverBrokersFromZookeeper,
  securityProtocolOf,
} from "./zookeeper.ts";

/** Live brokers, the connected ones first, each group in random order. */
export function askingOrder(brokers: Iterable<Broker>): Broker[] {
  const all = [...brokers].filter((b) => !b.closed);
  return [
    ...shuffled(all.filter((b) => b.connected)),
    ...shuffled(all.filter((b) => !b.connected)),
  ];
}

function shuffled<T>(a: T[]): T[] {
  const out = [...a];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * Errors that asking another broker or asking again will not change:
 * refused credentials (SASL), a TLS rejection (`SslAuthenticationError`),
 * an ACL denial. They reach the caller as they are.
 */
export function isFatal(e: unknown): e is KafkaError {
  return (e instanceof AuthenticationError ||
    e instanceof AuthorizationError) && !e.retriable;
}

/** Where the seeds are. */
export interface SeedOptions {
  /** The bootstrap hosts. */
  seeds: HostPort[];
  /** How to connect. */
  settings: ConnectionSettings;
  /** Discover the seeds in ZooKeeper instead. */
  zookeeperHosts?: string;
  /** With `zookeeperHosts`: the listener whose endpoint to use. */
  zookeeperListenerName?: string;
}

/** Asks brokers and seeds for metadata. */
export class MetadataSource {
  readonly #o: SeedOptions;
  readonly #checkOpen: () => void;
  /** Short-lived seed connections, closed with the cluster. */
  readonly #temporary = new Set<Broker>();

  /**
   * @param options where the seeds are
   * @param checkOpen throws once the cluster is closed
   */
  constructor(options: SeedOptions, checkOpen: () => void) {
    this.#o = options;
    this.#checkOpen = checkOpen;
  }

  /** The bootstrap hosts, or the brokers ZooKeeper lists. */
  async seedAddresses(): Promise<HostPort[]> {
    const zk = this.#o.zookeeperHosts;
    if (!zk) return this.#o.seeds;
    const settings = this.#o.settings;
    const found = await discoverBrokersFromZookeeper(zk, {
      securityProtocol: securityProtocolOf(
        settings.sslConfig !== undefined,
        settings.sasl !== undefined,
      ),
      listenerName: this.#o.zookeeperListenerName,
      timeoutMs: settings.socketTimeoutMs,
    });
    return found.map((b) => ({ host: b.host, port: b.port }));
  }

  /** What to call the seed source in `why` (`ZooKeeper zk1:2181`). */
  get zookeeperLabel(): string {
    return `ZooKeeper ${this.#o.zookeeperHosts}`;
  }

  /** The error for "no broker answered", naming each host tried and why. */
  noBrokers(why: Map<string, string>, cause: unknown): KafkaError {
    const list = [...why].map(([h, w]) => `${h} (${w})`).join("; ");
    return new NoBrokersAvailableError(
      `Unable to connect to a broker to fetch metadata. Tried: ${list}`,
      { cause },
    );
  }

  /** Metadata from one seed, over a connection closed right after. */
  async fromSeed(
    seed: HostPort,
    topics: readonly string[] | null,
    allowAutoTopicCreation = false,
  ): Promise<MetadataResponse> {
    this.#checkOpen();
    const b = new Broker(-1, seed.host, seed.port, {
      ...this.#o.settings,
      connectAttempts: 1,
    });
    this.#temporary.add(b);
    try {
      const md = await b.requestMetadata(topics, { allowAutoTopicCreation });
      // A broker that answered ApiVersions: the cluster is modern, and a
      // connection closed on ApiVersions later is a failure, not Kafka 0.8.
      if (b.versions?.source === "broker") {
        this.#o.settings.legacyDetection = false;
      }
      return md;
    } finally {
      this.#temporary.delete(b);
      await b.close();
    }
  }

  /**
   * Metadata from a live known broker, falling back to the seeds;
   * `NoBrokersAvailableError` when none answers. A non-retriable answer
   * from a broker is thrown as it is.
   */
  async ask(
    brokers: Iterable<Broker>,
    topics: readonly string[] | null,
    options: { allowAutoTopicCreation?: boolean; signal?: AbortSignal },
  ): Promise<MetadataResponse> {
    const why = new Map<string, string>();
    let last: unknown;
    for (const b of askingOrder(brokers)) {
      try {
        return await b.requestMetadata(topics, options);
      } catch (e) {
        last = e;
        why.set(`broker ${b.id} (${b.address})`, errorText(e));
        // Any broker can answer: one the program may not reach is skipped.
        if (
          e instanceof KafkaError && !e.retriable &&
          !NetworkPermissionError.in(e)
        ) throw e;
        options.signal?.throwIfAborted();
      }
    }
    let seeds: HostPort[] = [];
    try {
      seeds = await this.seedAddresses();
    } catch (e) {
      why.set(this.zookeeperLabel, errorText(e));
    }
    let fatal: KafkaError | undefined;
    for (const seed of seeds) {
      try {
        return await this.fromSeed(
          seed,
          topics,
          options.allowAutoTopicCreation,
        );
      } catch (e) {
        last = e;
        why.set(formatHostPort(seed), errorText(e));
        if (isFatal(e)) fatal ??= e;
        options.signal?.throwIfAborted();
      }
    }
    throw fatal ?? this.noBrokers(why, last);
  }

  /** Closes the seed connections still open. */
  async close(): Promise<void> {
    await Promise.all([...this.#temporary].map((b) => b.close()));
  }
}
