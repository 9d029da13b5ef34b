/**
 * {@linkcode Cluster}: metadata, brokers, topics and coordinators of one
 * Kafka cluster.
 *
 * @module
 */

import type { UseWorkers } from "./use_workers.ts";
import {
  errorForCode,
  InvalidMetadataError,
  KafkaError,
  LeaderNotAvailable,
  LeaderNotFoundError,
  NetworkPermissionError,
  UnknownTopicOrPartition,
} from "../errors/mod.ts";
import { errorText } from "../util/error_text.ts";
import { redactedOptions } from "../util/secrets.ts";
import type {
  MetadataResponse,
  MetadataResponseTopic,
} from "../protocol/mod.ts";
import { type RetryPolicy, RetrySchedule } from "../util/retry.ts";
import { RETRY_POLICIES, UNKNOWN_TOPIC_ROUNDS } from "./_retry_policies.ts";
import { Broker, type ConnectionSettings } from "./broker.ts";
import { formatHostPort, type HostPort, parseHosts } from "./hosts.ts";
import { isFatal, MetadataSource } from "./_metadata_source.ts";
import { Coordinators } from "./_coordinators.ts";
import { validateOptions } from "../util/options.ts";
import { CLUSTER_OPTION_RULES } from "./_options.ts";
import { ClusterTopic } from "./topic_base.ts";
import { unrefTimer } from "../util/runtime.ts";
import {
  type CallOptions,
  DEFAULT_RETRY_TIMEOUT_MS,
  withDeadline,
} from "../util/deadline.ts";
import {
  TopicDict,
  type TopicFactory,
  type TopicGetOptions,
} from "./topic_dict.ts";

/**
 * Options of a {@linkcode Cluster} (the `KafkaClient` options, minus the
 * client's own).
 *
 * @example
 * ```ts
 * import type { ClusterOptions } from "./cluster.ts";
 * const opts: ClusterOptions = { hosts: "127.0.0.1:9092", socketTimeoutMs: 10_000 };
 * ```
 */
export interface ClusterOptions<T extends ClusterTopic = ClusterTopic>
  extends ConnectionSettings {
  /**
   * Bootstrap brokers, `"h1:9092,h2:9092"` (IPv6 literals in brackets),
   * tried in turn (default `"127.0.0.1:9092"`).
   */
  hosts?: string | readonly string[];
  /**
   * ZooKeeper connection string (`"zk1:2181,zk2:2181/chroot"`). When set,
   * brokers are discovered from ZooKeeper instead of `hosts` (pykafka's
   * rule), at the endpoint matching the client's security protocol.
   */
  zookeeperHosts?: string;
  /**
   * With `zookeeperHosts`: the listener name whose endpoint to use, when
   * several listeners speak the client's security protocol.
   */
  zookeeperListenerName?: string;
  /** Hide internal (`__`-prefixed) topics from `topics` (default `true`). */
  excludeInternalTopics?: boolean;
  /**
   * Refresh metadata this often in ms (default 300000, Kafka's
   * `metadata.max.age.ms`; 0 turns periodic refresh off). Refreshes also
   * happen on errors that mean stale metadata.
   */
  metadataRefreshIntervalMs?: number;
  /** Let `topics.get()` ask the broker to create missing topics (default `true`). */
  autoCreateTopics?: boolean;
  /** Longest wait of `topics.get()` for a new topic's leaders, in ms (default 10000). */
  autoCreateTimeoutMs?: number;
  /** Longest group coordinator lookup, in ms (default 30000). */
  coordinatorTimeoutMs?: number;
  /**
   * The concurrency model of consumers (pykafka's `use_greenlets`):
   * `true` / `"decode"` moves the decoding of fetched records (checksums,
   * decompression) into a Web Worker per consumer; `"sockets"` moves the
   * fetch connections and their reads there too; `false` (default) does
   * everything on the event loop. A consumer's own `useWorkers` option
   * overrides it.
   */
  useWorkers?: UseWorkers;
  /**
   * The longest a public operation that talks to the cluster takes,
   * retries, reconnects and backoffs included, in ms (default 60000):
   * bootstrap, metadata refreshes, offset lookups, consumer offset commits
   * and fetches, admin calls. Each such call also takes its own
   * `timeoutMs` and an `AbortSignal`. On expiry the call rejects with
   * `RequestTimeoutError`. See the README's "Deadlines" table.
   */
  retryTimeoutMs?: number;
  /**
   * Makes the topic objects of `topics` (default: plain
   * {@linkcode ClusterTopic}s). The client passes one that makes its
   * `Topic`.
   */
  topicFactory?: TopicFactory<T>;
}

/**
 * One Kafka cluster as the client sees it (pykafka's `Cluster`): the
 * brokers, the topics, the controller, and group coordinators.
 *
 * - **Bootstrap** ({@linkcode Cluster.connect}): the `hosts` (or the
 *   brokers registered in ZooKeeper with `zookeeperHosts`) are tried in
 *   turn until one answers Metadata; `NoBrokersAvailableError` names every
 *   host tried and why it failed. Refused credentials
 *   (`SaslAuthenticationError`), a TLS rejection (`SslAuthenticationError`)
 *   or an ACL denial (`AuthorizationError`) is thrown as it is once every
 *   host was tried, with no further rounds.
 * - **Metadata** comes from a live known broker (one with an open
 *   connection first, in random order), falling back to the bootstrap list
 *   only when no known broker answers. (pykafka always asked the seed list,
 *   through new connections, because of a bug.)
 * - **Refresh**: every `metadataRefreshIntervalMs`, on
 *   {@linkcode Cluster.update} (concurrent calls share one request), and
 *   when a caller reports a stale-metadata error
 *   ({@linkcode Cluster.updateOnError}). Brokers that left the metadata
 *   are closed and removed, new ones added, and a broker id seen at a new
 *   address follows it (pykafka raised an exception). Partitions keep
 *   their objects; leaders, replicas and ISR change in place.
 * - **Coordinators** ({@linkcode Cluster.getGroupCoordinator}):
 *   FindCoordinator retried with backoff while the coordinator is not
 *   available, cached per group until {@linkcode Cluster.invalidateCoordinator}
 *   (call it on `NOT_COORDINATOR` / `COORDINATOR_NOT_AVAILABLE` or a
 *   dropped connection).
 *
 * Nothing connects before the first use: `connect()` or any method that
 * needs metadata bootstraps first.
 *
 * @example
 * ```ts
 * import { Admin, Cluster } from "@denokafka/kafka";
 *
 * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
 * await using cluster = new Cluster({ hosts });
 * await cluster.connect();
 * const admin = new Admin(cluster);
 * const name = `orders-${crypto.randomUUID()}`;
 * await admin.createTopics([{ name, numPartitions: 2 }]);
 * try {
 *   const topic = await cluster.topics.get(name);
 *   const leader = topic.partitions.get(0)!.leader;
 *   const coordinator = await cluster.getGroupCoordinator("my-group");
 *   console.log(`leader ${leader.id}, coordinator ${coordinator.id}`);
 * } finally {
 *   await admin.deleteTopics([name]);
 * }
 * ```
 */
export class Cluster<T extends ClusterTopic = ClusterTopic>
  implements AsyncDisposable {
  readonly #options: ClusterOptions<T>;
  readonly #settings: ConnectionSettings;
  readonly #source: MetadataSource;
  #shownSettings: Readonly<ConnectionSettings> | undefined;
  readonly #brokers = new Map<number, Broker>();
  readonly #topics: TopicDict<T>;
  #controllerId = -1;
  #clusterId: string | null = null;
  #connecting: Promise<void> | undefined;
  #connected = false;
  #updating: Promise<void> | undefined;
  #followUp: Promise<void> | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  readonly #coordinators: Coordinators;
  #closed = false;
  #lastUpdate = 0;
  readonly #closeController = new AbortController();

  /**
   * Creates the cluster object; no I/O until {@linkcode Cluster.connect}
   * or the first use. A bad option throws a `TypeError` (unknown option,
   * wrong type) or `RangeError` (out of range) naming it.
   *
   * @param options where the brokers are and how to connect
   */
  constructor(options: ClusterOptions<T> = {}) {
    const checked = validateOptions("Cluster", options, CLUSTER_OPTION_RULES);
    this.#options = options;
    this.#settings = {
      clientId: options.clientId,
      socketTimeoutMs: options.socketTimeoutMs ?? 30_000,
      offsetsChannelSocketTimeoutMs: options.offsetsChannelSocketTimeoutMs ??
        10_000,
      sslConfig: options.sslConfig,
      sasl: options.sasl,
      brokerVersion: options.brokerVersion ?? "auto",
      sourceAddress: options.sourceAddress,
      connectAttempts: options.connectAttempts,
      reconnectBackoff: options.reconnectBackoff,
      maxFrameBytes: options.maxFrameBytes,
      transport: options.transport,
    };
    this.#source = new MetadataSource({
      seeds: checked.hosts ?? parseHosts("127.0.0.1:9092"),
      settings: this.#settings,
      zookeeperHosts: options.zookeeperHosts,
      zookeeperListenerName: options.zookeeperListenerName,
    }, () => this.#checkOpen());
    this.#coordinators = new Coordinators({
      brokers: this.#brokers,
      checkOpen: () => this.#checkOpen(),
      rounds: (policy, signal) => this.#rounds(policy, signal),
      update: () => this.update(),
      brokerFor: (id, host, port) => this.#brokerFor(id, host, port),
    });
    const factory = options.topicFactory ??
      ((c: Cluster<T>, md: MetadataResponseTopic) =>
        new ClusterTopic(c as unknown as Cluster, md) as T);
    this.#topics = new TopicDict<T>(
      this,
      factory,
      options.excludeInternalTopics ?? true,
    );
  }

  /** The brokers by id, as of the last metadata (pykafka's `brokers`). */
  get brokers(): ReadonlyMap<number, Broker> {
    return this.#brokers;
  }

  /** The topics (pykafka's `topics`). */
  get topics(): TopicDict<T> {
    return this.#topics;
  }

  /** The controller's broker id (Metadata v1+), -1 when unknown. */
  get controllerId(): number {
    return this.#controllerId;
  }

  /**
   * The controller broker (pykafka's `controller_broker`), or `undefined`
   * when unknown (Metadata v0) or not among the brokers.
   */
  get controller(): Broker | undefined {
    return this.#brokers.get(this.#controllerId);
  }

  /** The cluster id (Metadata v2+), or `null`. */
  get clusterId(): string | null {
    return this.#clusterId;
  }

  /** True once bootstrap succeeded. */
  get connected(): boolean {
    return this.#connected;
  }

  /**
   * The connection settings every broker uses, with every secret
   * (`sasl.password`, `sslConfig.password`, `sslConfig.key`) shown as
   * `"[redacted]"`: printing or serializing them shows no secret.
   */
  get connectionSettings(): Readonly<ConnectionSettings> {
    this.#shownSettings ??= redactedOptions(this.#settings);
    return this.#shownSettings;
  }

  /**
   * The longest a public operation on this cluster takes by default, in
   * ms (the `retryTimeoutMs` option, default 60000).
   */
  get retryTimeoutMs(): number {
    return this.#options.retryTimeoutMs ?? DEFAULT_RETRY_TIMEOUT_MS;
  }

  /**
   * Runs one call to the cluster within its deadline: `fn` gets a signal
   * that aborts after `timeoutMs` (default `options.timeoutMs`, else
   * `retryTimeoutMs`), when `options.signal` aborts, or when the cluster
   * closes; the call rejects with `RequestTimeoutError` on expiry and with
   * `options.signal.reason` on abort. The public operations of topics,
   * partitions, consumers and the admin run through it.
   *
   * @example
   * ```ts
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using cluster = new Cluster({ hosts });
   * await cluster.connect();
   * const md = await cluster.bounded("metadata", { timeoutMs: 5000 }, (signal) =>
   *   cluster.requestMetadata(null, { signal }));
   * console.log(md.brokers.length);
   * ```
   */
  bounded<T>(
    what: string,
    options: CallOptions,
    fn: (signal: AbortSignal) => Promise<T>,
    timeoutMs: number = options.timeoutMs ?? this.retryTimeoutMs,
  ): Promise<T> {
    const closing = this.#closeController.signal;
    return withDeadline(
      what,
      timeoutMs,
      options.signal,
      (signal) => fn(AbortSignal.any([signal, closing])),
    );
  }

  /** The per-request timeout of every connection, in ms (`socketTimeoutMs`). */
  get socketTimeoutMs(): number {
    return this.#settings.socketTimeoutMs ?? 30_000;
  }

  /** The default of consumers' `useWorkers` option (`ClusterOptions.useWorkers`). */
  get useWorkers(): UseWorkers {
    return this.#options.useWorkers ?? false;
  }

  /** The ZooKeeper connection string, if brokers are discovered there. */
  get zookeeperHosts(): string | undefined {
    return this.#options.zookeeperHosts;
  }

  /** Time of the last successful metadata update (ms since the epoch), 0 if none. */
  get lastUpdate(): number {
    return this.#lastUpdate;
  }

  /**
   * The schedule of a loop that asks again until its condition holds:
   * every round counts, and `close()` or the caller's signal ends a wait
   * (with an error).
   */
  #rounds(policy: RetryPolicy, signal?: AbortSignal): RetrySchedule {
    const closing = this.#closeController.signal;
    return new RetrySchedule({
      ...policy,
      retriable: () => true,
      signal: signal ? AbortSignal.any([signal, closing]) : closing,
    });
  }

  #checkOpen(): void {
    if (this.#closed) throw new KafkaError("the cluster was closed");
  }

  /**
   * Bootstraps: tries the bootstrap hosts (or ZooKeeper's brokers) in turn
   * until one answers Metadata, then takes the brokers and topics from
   * it and starts the periodic refresh. Idempotent; a failed attempt can be
   * repeated. `NoBrokersAvailableError` names every host tried and why;
   * `SaslAuthenticationError`, `SslAuthenticationError` and authorization
   * errors are thrown as they are (each host tried once).
   *
   * Rounds over the hosts: `connectAttempts` (default 3), with backoff; so
   * with `connectAttempts: 1` a refused connection fails at once. Settles
   * within `options.timeoutMs` (default `retryTimeoutMs`) with
   * `RequestTimeoutError`, or at once with `signal.reason` when `signal`
   * aborts (the bootstrap itself, shared by concurrent callers, ends with
   * its rounds or `close()`).
   *
   * @example
   * ```ts
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using cluster = new Cluster({ hosts });
   * await cluster.connect();
   * console.log([...cluster.brokers.keys()]);
   * ```
   */
  connect(options: CallOptions = {}): Promise<void> {
    if (this.#closed) {
      return Promise.reject(new KafkaError("the cluster was closed"));
    }
    if (this.#connected) return Promise.resolve();
    if (options.signal?.aborted) return Promise.reject(options.signal.reason);
    this.#connecting ??= this.#bootstrap().finally(() => {
      this.#connecting = undefined;
    });
    const connecting = this.#connecting;
    return withDeadline(
      "bootstrap",
      options.timeoutMs ?? this.retryTimeoutMs,
      options.signal,
      () => connecting,
    );
  }

  /** Bootstraps if not done yet (every operation that needs metadata calls it). */
  ready(): Promise<void> {
    return this.connect();
  }

  async #bootstrap(): Promise<void> {
    const why = new Map<string, string>();
    let last: unknown;
    const schedule = this.#rounds({
      ...RETRY_POLICIES.bootstrap,
      attempts: this.#settings.connectAttempts ??
        RETRY_POLICIES.bootstrap.attempts,
      timeoutMs: this.retryTimeoutMs,
    });
    do {
      this.#checkOpen();
      let seeds: HostPort[] = [];
      try {
        seeds = await this.#source.seedAddresses();
      } catch (e) {
        last = e;
        why.set(this.#source.zookeeperLabel, errorText(e));
        if (e instanceof KafkaError && !e.retriable) break;
      }
      let denied = 0;
      let fatal: KafkaError | undefined;
      let final: KafkaError | undefined;
      for (const seed of seeds) {
        try {
          const md = await this.#source.fromSeed(seed, null);
          this.#checkOpen();
          await this.#apply(md, true);
          this.#connected = true;
          this.#lastUpdate = Date.now();
          this.#startTimer();
          return;
        } catch (e) {
          last = e;
          why.set(formatHostPort(seed), errorText(e));
          // A seed the program may not connect to (Deno's --allow-net): try
          // the others, but never this one again.
          if (NetworkPermissionError.in(e)) {
            denied++;
          } else if (isFatal(e)) {
            fatal ??= e;
          } else if (e instanceof KafkaError && !e.retriable) {
            final ??= e;
          }
        }
      }
      // Refused credentials, a TLS rejection or an ACL denial will not
      // change by asking again: reported as they are, not as "no brokers".
      if (fatal) throw fatal;
      // Another answer that will not change (a frame too large, malformed
      // bytes, an unsupported feature): no further rounds.
      if (final) throw this.#source.noBrokers(why, final);
      // Every seed refused by the permissions: asking again changes nothing.
      if (seeds.length > 0 && denied === seeds.length) break;
    } while (await schedule.pause());
    throw this.#source.noBrokers(why, last);
  }

  #startTimer(): void {
    const every = this.#options.metadataRefreshIntervalMs ?? 300_000;
    if (!(every > 0) || this.#timer !== undefined || this.#closed) return;
    this.#timer = setInterval(() => {
      this.update().catch(() => {/* the next use reports it */});
    }, every);
    unrefTimer(this.#timer);
  }

  /**
   * Metadata from a live known broker (connected ones first, random order),
   * falling back to the bootstrap hosts. `NoBrokersAvailableError` when
   * none answers.
   *
   * @param topics topic names, or `null` for every topic
   * @param options `allowAutoTopicCreation` (default `false`)
   */
  async requestMetadata(
    topics: readonly string[] | null,
    options: { allowAutoTopicCreation?: boolean; signal?: AbortSignal } = {},
  ): Promise<MetadataResponse> {
    await this.ready();
    return await this.#source.ask(this.#brokers.values(), topics, options);
  }

  /**
   * Refreshes the metadata of every topic (pykafka's `update()`): brokers
   * added, removed or moved, topics added or removed, partitions' leaders
   * and replicas. While a partition of a topic in use has no leader (an
   * election in progress) it asks again, a few times with backoff.
   * Concurrent calls share the request; a call made during a refresh gets
   * one that started after it.
   *
   * Settles within `options.timeoutMs` (default `retryTimeoutMs`) with
   * `RequestTimeoutError`, or at once with `signal.reason` when `signal`
   * aborts; the shared refresh goes on for other callers.
   *
   * @example
   * ```ts
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using cluster = new Cluster({ hosts });
   * await cluster.connect();
   * await cluster.update();
   * ```
   */
  update(options: CallOptions = {}): Promise<void> {
    return withDeadline(
      "metadata refresh",
      options.timeoutMs ?? this.retryTimeoutMs,
      options.signal,
      () => this.#update(),
    );
  }

  #update(): Promise<void> {
    if (this.#closed) {
      return Promise.reject(new KafkaError("the cluster was closed"));
    }
    if (!this.#connected) return this.connect();
    if (this.#updating) {
      this.#followUp ??= this.#updating.catch(() => {}).then(() => {
        this.#followUp = undefined;
        return this.#update();
      });
      return this.#followUp;
    }
    const p = this.#runUpdate().finally(() => {
      if (this.#updating === p) this.#updating = undefined;
    });
    this.#updating = p;
    return p;
  }

  async #runUpdate(): Promise<void> {
    const schedule = this.#rounds(RETRY_POLICIES.leaderElection);
    do {
      const md = await this.requestMetadata(null);
      if (this.#closed) return;
      await this.#apply(md, true);
      this.#lastUpdate = Date.now();
    } while (this.#leaderless() && await schedule.pause());
  }

  /** True when a partition of a topic in use has no known leader. */
  #leaderless(): boolean {
    for (const t of this.#topics.liveTopics()) {
      for (const p of t.partitions.values()) if (!p.hasLeader) return true;
    }
    return false;
  }

  /**
   * Refreshes metadata when `error` means it is stale (a leader moved, a
   * topic or partition is unknown, a connection dropped, no leader known)
   * and resolves `true`; resolves `false` for other errors. For producers
   * and consumers: call it with the error of a failed request, then retry.
   *
   * @example
   * ```ts
   * import { errorForCode } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using cluster = new Cluster({ hosts });
   * await cluster.connect();
   * // NOT_LEADER_OR_FOLLOWER (6), as a Produce or Fetch response may carry it:
   * const stale = errorForCode(6);
   * if (await cluster.updateOnError(stale)) {
   *   // the metadata is fresh: retry on partition.leader
   * }
   * console.log(await cluster.updateOnError(new Error("not a metadata error"))); // false
   * ```
   */
  async updateOnError(error: unknown): Promise<boolean> {
    if (
      !(error instanceof InvalidMetadataError) &&
      !(error instanceof LeaderNotFoundError)
    ) return false;
    await this.update();
    return true;
  }

  async #apply(md: MetadataResponse, complete: boolean): Promise<void> {
    const closing: Promise<void>[] = [];
    const seen = new Set<number>();
    for (const b of md.brokers) {
      seen.add(b.nodeId);
      const known = this.#brokers.get(b.nodeId);
      if (!known || known.closed) {
        this.#brokers.set(
          b.nodeId,
          new Broker(b.nodeId, b.host, b.port, this.#settings, b.rack ?? null),
        );
      } else if (known.host !== b.host || known.port !== b.port) {
        closing.push(known.updateAddress(b.host, b.port, b.rack ?? null));
      }
    }
    // KAFKA-2154: very old brokers answered with no brokers at all for a
    // cluster without topics; never drop every broker because of that.
    if (md.brokers.length > 0) {
      for (const [id, b] of [...this.#brokers]) {
        if (!seen.has(id)) {
          this.#brokers.delete(id);
          closing.push(b.close());
          this.#coordinators.forgetBroker(id);
        }
      }
    }
    if (md.controllerId !== undefined) this.#controllerId = md.controllerId;
    if (md.clusterId !== undefined) this.#clusterId = md.clusterId;
    this.#topics.applyMetadata(md.topics, complete);
    await Promise.all(closing);
  }

  /**
   * Metadata of one topic, asking the broker to create it when allowed,
   * and waiting (bounded) until every partition has a leader. Used by
   * `topics.get()`.
   *
   * @example
   * ```ts
   * import { Admin } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using cluster = new Cluster({ hosts });
   * await cluster.connect();
   * const admin = new Admin(cluster);
   * const name = `orders-${crypto.randomUUID()}`;
   * await admin.createTopics([{ name, numPartitions: 2 }]);
   * try {
   *   const md = await cluster.fetchTopicMetadata(name, { autoCreate: false });
   *   console.log(md.partitions.length); // 2
   * } finally {
   *   await admin.deleteTopics([name]);
   * }
   * ```
   */
  fetchTopicMetadata(
    name: string,
    options: TopicGetOptions = {},
  ): Promise<MetadataResponseTopic> {
    const timeoutMs = options.timeoutMs ??
      (this.#options.autoCreateTimeoutMs ?? 10_000);
    // The wait for leaders, plus bootstrap and requests around it.
    return this.bounded(
      `metadata of topic ${name}`,
      { signal: options.signal },
      (signal) => this.#fetchTopicMetadata(name, { ...options, signal }),
      timeoutMs + this.retryTimeoutMs,
    );
  }

  async #fetchTopicMetadata(
    name: string,
    options: TopicGetOptions,
  ): Promise<MetadataResponseTopic> {
    await this.ready();
    const autoCreate = options.autoCreate ??
      (this.#options.autoCreateTopics ?? true);
    const timeoutMs = options.timeoutMs ??
      (this.#options.autoCreateTimeoutMs ?? 10_000);
    const schedule = this.#rounds(
      { ...RETRY_POLICIES.topicMetadata, timeoutMs },
      options.signal,
    );
    let last: KafkaError | undefined;
    let creating = false;
    for (;;) {
      options.signal?.throwIfAborted();
      const md = await this.requestMetadata([name], {
        allowAutoTopicCreation: autoCreate,
        signal: options.signal,
      });
      await this.#apply(md, false);
      const t = md.topics.find((x) => x.name === name);
      if (!t || t.errorCode === 3) {
        creating = true;
        last = new UnknownTopicOrPartition(
          `topic ${name} does not exist${
            autoCreate
              ? " and was not created (is auto.create.topics.enable off?)"
              : ""
          }`,
        );
        // Right after an automatic creation some brokers still answer
        // UNKNOWN_TOPIC_OR_PARTITION; give it a few tries.
        if (!autoCreate || schedule.failures >= UNKNOWN_TOPIC_ROUNDS) {
          throw last;
        }
      } else if (t.errorCode === 0 || t.errorCode === 5) {
        // An existing topic is returned as it is (a partition without a
        // leader throws LeaderNotFoundError when used); a topic being
        // created is waited for until every partition has a leader.
        if (t.errorCode !== 0) creating = true;
        const ready = t.errorCode === 0 && t.partitions.length > 0 &&
          (!creating ||
            t.partitions.every((p) =>
              p.leaderId >= 0 && this.#brokers.has(p.leaderId)
            ));
        if (ready) return t;
        last = new LeaderNotAvailable(
          `topic ${name}: partitions without a leader after ${timeoutMs} ms`,
        );
      } else {
        throw errorForCode(
          t.errorCode,
          `topic ${name}: ${errorForCode(t.errorCode).message}`,
        );
      }
      if (!(await schedule.pause())) throw last;
    }
  }

  /**
   * Metadata of the named topics without ever creating one (see
   * `Broker.requestMetadata`). A missing topic is in the answer with error
   * code 3 (UNKNOWN_TOPIC_OR_PARTITION). The answer also updates the
   * cluster's brokers and known topics.
   *
   * @example
   * ```ts
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using cluster = new Cluster({ hosts });
   * await cluster.connect();
   * const [t] = await cluster.requestTopicMetadata([`orders-${crypto.randomUUID()}`]);
   * console.log(t.errorCode === 0 ? t.partitions.length : "missing"); // "missing"
   * ```
   */
  async requestTopicMetadata(
    names: readonly string[],
    options: { signal?: AbortSignal } = {},
  ): Promise<MetadataResponseTopic[]> {
    await this.ready();
    const md = await this.requestMetadata(names, {
      allowAutoTopicCreation: false,
      signal: options.signal,
    });
    await this.#apply(md, false);
    return names.map((name) =>
      md.topics.find((t) => t.name === name) ?? {
        errorCode: 3,
        name,
        partitions: [],
      }
    );
  }

  /**
   * The coordinator broker of a consumer group (pykafka's
   * `get_group_coordinator`), found with FindCoordinator: cached per group;
   * while the coordinator is not available (or loading, or a broker drops
   * the connection) the lookup is repeated on other brokers with backoff,
   * for at most `coordinatorTimeoutMs`. Call
   * {@linkcode Cluster.invalidateCoordinator} when the coordinator answers
   * `NOT_COORDINATOR` or `COORDINATOR_NOT_AVAILABLE`, or its connection
   * drops, then ask again.
   *
   * @example
   * ```ts
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using cluster = new Cluster({ hosts });
   * await cluster.connect();
   * const coordinator = await cluster.getGroupCoordinator("my-group");
   * const offsets = await coordinator.fetchConsumerGroupOffsets("my-group", null);
   * console.log(offsets.partitions.length);
   * ```
   */
  getGroupCoordinator(
    groupId: string,
    options: { signal?: AbortSignal; timeoutMs?: number } = {},
  ): Promise<Broker> {
    return this.getCoordinator(groupId, 0, options);
  }

  /**
   * The coordinator of a group (`keyType` 0) or of a transactional id
   * (`keyType` 1); see {@linkcode Cluster.getGroupCoordinator}.
   */
  async getCoordinator(
    key: string,
    keyType: 0 | 1,
    options: { signal?: AbortSignal; timeoutMs?: number } = {},
  ): Promise<Broker> {
    const timeoutMs = options.timeoutMs ??
      (this.#options.coordinatorTimeoutMs ?? 30_000);
    // The lookup's rounds end after timeoutMs; the one request under way
    // then may take up to socketTimeoutMs more.
    return await withDeadline(
      `coordinator lookup of ${JSON.stringify(key)}`,
      timeoutMs + this.socketTimeoutMs,
      options.signal,
      async (signal) => {
        await this.ready();
        return await this.#coordinators.get(key, keyType, timeoutMs, signal);
      },
    );
  }

  /**
   * Forgets the cached coordinator of a group (`keyType` 0, default) or
   * transactional id (1); the next lookup asks the cluster again.
   *
   * @example
   * ```ts
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using cluster = new Cluster({ hosts });
   * await cluster.connect();
   * const coordinator = await cluster.getGroupCoordinator("my-group");
   * const { groups } = await coordinator.describeGroups(["my-group"]);
   * if (groups[0].errorCode === 16) { // NOT_COORDINATOR: it moved
   *   cluster.invalidateCoordinator("my-group"); // the next lookup asks again
   * }
   * ```
   */
  invalidateCoordinator(key: string, keyType: 0 | 1 = 0): void {
    this.#coordinators.invalidate(key, keyType);
  }

  /** The broker with this id, refreshing metadata (or adding it) if unknown. */
  async #brokerFor(id: number, host: string, port: number): Promise<Broker> {
    let b = this.#brokers.get(id);
    if (b && !b.closed) return b;
    await this.update().catch(() => {});
    b = this.#brokers.get(id);
    if (b && !b.closed) return b;
    b = new Broker(id, host, port, this.#settings);
    this.#brokers.set(id, b);
    return b;
  }

  /**
   * Stops the periodic refresh and closes every broker connection.
   *
   * @example
   * ```ts
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * const cluster = new Cluster({ hosts });
   * await cluster.connect();
   * await cluster.close();
   * ```
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#closeController.abort(new KafkaError("the cluster was closed"));
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await Promise.all([
      ...[...this.#brokers.values()].map((b) => b.close()),
      this.#source.close(),
    ]);
    await this.#connecting?.catch(() => {});
    await this.#updating?.catch(() => {});
    await this.#followUp?.catch(() => {});
    await this.#coordinators.settled();
  }

  /** Same as {@linkcode Cluster.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
