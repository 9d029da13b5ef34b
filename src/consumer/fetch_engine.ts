/**
 * {@linkcode FetchEngine}: the fetch side of a consumer, with an assignment
 * that changes at run time. The simple consumer holds a fixed assignment
 * over it; the balanced consumers assign and revoke partitions as their
 * group rebalances.
 *
 * @module
 */

import { type UseWorkers, workerMode } from "../cluster/use_workers.ts";
import { AbortError, KafkaError } from "../errors/mod.ts";
import type {
  Broker,
  Cluster,
  ClusterTopic,
  OffsetType,
} from "../cluster/mod.ts";
import type { ManagedConnection } from "../network/mod.ts";
import { describeValue } from "../util/options.ts";
import {
  type ByteBudget,
  Cursor,
  type MessageChunk,
  type RawMessage,
} from "./_cursor.ts";
import { ReadyRing } from "./_ready_ring.ts";
import {
  FetchSource,
  type FetchStats,
  type SourceHost,
  type SourceSettings,
} from "./_fetch_source.ts";
import { resetOutOfRange } from "./_out_of_range.ts";
import type {
  EngineConnection,
  EngineSource,
  FetchEngineStats,
} from "./fetch_engine_status.ts";
export type {
  EngineConnection,
  EngineSource,
  FetchEngineStats,
} from "./fetch_engine_status.ts";
import { MetadataRefresh } from "./_metadata_refresh.ts";
import { WorkerDecoder } from "../records/_worker_decoder.ts";
import { FetchWorker } from "./_fetch_worker_client.ts";

/** Settings of a {@linkcode FetchEngine} (the consumer's resolved options). */
export interface FetchEngineOptions extends SourceSettings {
  /** Fetch loops per leader broker, each with its own connections. */
  numConsumerFetchers: number;
  /** Where OFFSET_OUT_OF_RANGE moves a cursor without a policy of its own. */
  autoOffsetReset: OffsetType;
  /** Retries of the offset lookups of out-of-range resets. */
  offsetsCommitMaxRetries: number;
  /** Linear backoff unit of those retries, in ms. */
  offsetsChannelBackoffMs: number;
  /** Web Workers for fetching and decoding (default: the cluster's `useWorkers`, else `false`). */
  useWorkers?: UseWorkers;
}

/** How the engine reports to its consumer. */
export interface FetchEngineHooks {
  /** An error the consumer should raise from `consume()` (fetching goes on). */
  onError?: (error: Error) => void;
  /** Messages were queued (or a paused cursor with messages resumed). */
  onData?: () => void;
  /**
   * The per-cursor reset policy callback: OFFSET_OUT_OF_RANGE for `cursor`.
   * Return `true` to handle it (e.g. raise an error, or `seek()` it); it is
   * not fetched for `fetchErrorBackoffMs` unless sought meanwhile.
   * Otherwise (or without this hook) the engine moves it by its reset
   * policy (`Assignment.autoOffsetReset`, else the engine's).
   */
  onOutOfRange?: (cursor: Cursor) => boolean;
}

/** One partition to assign, from {@linkcode FetchEngine.assign}. */
export interface Assignment {
  /** The topic. */
  topic: ClusterTopic;
  /** The partition id. */
  partition: number;
  /**
   * The next offset to fetch. Without it the cursor waits for
   * {@linkcode FetchEngine.seek} (e.g. after a committed-offset lookup).
   */
  position?: number;
  /** Where OFFSET_OUT_OF_RANGE moves it (default: the engine's `autoOffsetReset`). */
  autoOffsetReset?: OffsetType;
  /** Start paused (default `false`). */
  paused?: boolean;
}

/** A partition named by topic name and id. */
export interface TopicPartition {
  /** The topic's name. */
  topic: string;
  /** The partition id. */
  partition: number;
}

/** Options of {@linkcode FetchEngine.revoke}. */
export interface RevokeOptions {
  /**
   * Runs after the revoked cursors are fenced (nothing of theirs is
   * delivered any more), before `revoke()` resolves: commit their positions
   * here before another member takes them. Its error rejects `revoke()`;
   * the cursors stay revoked.
   */
  beforeRelease?: (revoked: readonly Cursor[]) => Promise<void> | void;
}

/**
 * What the engine uses of a cluster (any `Cluster`, e.g. a client's
 * `client.cluster`): its connection settings and metadata refreshes.
 */
export type EngineCluster =
  & Pick<Cluster, "connectionSettings" | "update" | "updateOnError">
  & Partial<Pick<Cluster, "useWorkers">>;

let engineSeq = 0;

function keyOf(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

/**
 * Fetches the assigned partitions of any number of topics: one fetch
 * source per (leader broker, fetcher index), each a pipelined loop on two
 * connections of its own with one Fetch request for all of its partitions,
 * a fetch session (KIP-227) on brokers that have them, and one
 * {@linkcode Cursor} per (topic, partition) holding its position, its fence
 * and its prefetched messages.
 *
 * - `assign()` / `revoke()` change the assignment at run time: retained
 *   cursors keep fetching on the same connections and keep their queued
 *   messages; a revoked cursor is fenced at once (its queue dropped,
 *   responses in flight ignored), and a partition assigned again gets a new
 *   cursor.
 * - `pause()` / `resume()`: a paused cursor is not fetched and its queued
 *   messages are not delivered; its position is kept.
 * - Leader moves refresh metadata and move cursors to the new leader's
 *   source; OFFSET_OUT_OF_RANGE moves a cursor by its reset policy; the
 *   fetch size grows for a batch larger than it; the prefetch is bounded
 *   per cursor (`queuedMaxMessages`) and overall (`queuedMaxBytes`).
 * - Messages are taken in round-robin order over the cursors with
 *   `take()` (the consumer's hot path).
 *
 * @example
 * ```ts
 * import { KafkaClient, SIMPLE_CONSUMER_DEFAULTS } from "@denokafka/kafka";
 *
 * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
 * await using client = await KafkaClient.connect({ hosts });
 * const name = `orders-${crypto.randomUUID()}`;
 * await client.createTopics([{ name }]);
 * try {
 *   const topic = await client.topics.get(name);
 *   {
 *     await using producer = topic.getSyncProducer();
 *     await producer.produce(new TextEncoder().encode("v"));
 *   }
 *   let wake = () => {};
 *   const options = { ...SIMPLE_CONSUMER_DEFAULTS, fetchSessions: true };
 *   const engine = new FetchEngine(client.cluster, options, { onData: () => wake() });
 *   engine.assign([{ topic, partition: 0, position: 0 }]);
 *   engine.start();
 *   try {
 *     let m = engine.take();
 *     while (m === undefined) { // wait for onData, at most 10 s
 *       await new Promise<void>((resolve, reject) => {
 *         const timer = setTimeout(() => reject(new Error("no data in 10 s")), 10_000);
 *         wake = () => (clearTimeout(timer), resolve());
 *       });
 *       m = engine.take();
 *     }
 *     console.log(m.offset); // 0
 *     await engine.revoke([{ topic: topic.name, partition: 0 }]);
 *   } finally {
 *     await engine.stop();
 *   }
 * } finally {
 *   await client.deleteTopics([name]);
 * }
 * ```
 */
export class FetchEngine {
  /** The cursors with messages, in round-robin order. */
  readonly ring: ReadyRing = new ReadyRing();
  /** Bytes of fetched, unconsumed record data. */
  readonly budget: ByteBudget = { bytes: 0 };
  readonly #cluster: EngineCluster;
  readonly #o: FetchEngineOptions;
  readonly #hooks: FetchEngineHooks;
  readonly #id: string;
  readonly #cursors = new Map<string, Cursor>();
  #list: Cursor[] = [];
  #nextFetcher = 0;
  readonly #sources = new Map<string, FetchSource>();
  readonly #retired = new Set<FetchSource>();
  readonly #connections = new Map<ManagedConnection, [Broker, string]>();
  #closedConnects = 0;
  readonly #tasks = new Set<Promise<void>>();
  #wakers: (() => void)[] = [];
  #abort = new AbortController();
  #running = false;
  readonly #refresher: MetadataRefresh;
  #rotate = 0;
  readonly #stats: FetchStats = {
    requests: 0,
    sessionFullRequests: 0,
    incrementalRequests: 0,
    requestBytes: 0,
    responseBytes: 0,
    sessionResets: 0,
  };
  readonly #host: SourceHost;
  #decoder: WorkerDecoder | undefined;
  #fetchWorker: FetchWorker | undefined;

  /**
   * Creates the engine (no I/O until `start()`).
   *
   * @param cluster the cluster whose brokers to fetch from
   * @param options fetch settings
   * @param hooks where errors and new data are reported
   */
  constructor(
    cluster: EngineCluster,
    options: FetchEngineOptions,
    hooks: FetchEngineHooks = {},
  ) {
    this.#cluster = cluster;
    this.#o = options;
    this.#hooks = hooks;
    this.#id = `denokafka-fetch-${++engineSeq}-${
      crypto.randomUUID().slice(0, 8)
    }`;
    const requestTimeoutMs =
      (cluster.connectionSettings.socketTimeoutMs ?? 30_000) +
      options.fetchWaitMaxMs;
    this.#refresher = new MetadataRefresh(
      cluster,
      options.fetchErrorBackoffMs,
      requestTimeoutMs,
    );
    // deno-lint-ignore no-this-alias
    const engine = this;
    this.#host = {
      settings: options,
      stats: this.#stats,
      get running() {
        return engine.#running;
      },
      get signal() {
        return engine.#abort.signal;
      },
      requestTimeoutMs,
      cursors: () => this.#list,
      rotate: () => this.#rotate++,
      budget: this.budget,
      queuedBytes: () => this.budget.bytes + (this.budget.decoding ?? 0),
      deliver: (c, messages, bytes) => this.#deliver(c, messages, bytes),
      fail: (c, e) => {
        c.failed = e;
        this.#error(e);
      },
      error: (e) => this.#error(e),
      outOfRange: (cs) => this.#outOfRange(cs),
      refresh: (cause) => this.#refresh(cause),
      wait: (ms) => this.#wait(ms),
      wakeLoops: () => this.#wakeLoops(),
      moved: () => queueMicrotask(() => this.wake()),
      connection: (broker, laneId) => this.#connection(broker, laneId),
      decoder: () => this.#decoder,
      fetchWorker: () => this.#fetchWorker,
    };
  }

  /** True between `start()` and `stop()`. */
  get running(): boolean {
    return this.#running;
  }

  /** True when records are decoded in a Web Worker (`useWorkers`). */
  get usesWorkers(): boolean {
    return this.workerMode !== "none";
  }

  /**
   * How the engine uses workers (`useWorkers`): `"none"`, `"decode"`, or
   * `"sockets"` (which a custom `transport` turns into `"decode"`: a
   * function cannot be given to a worker).
   */
  get workerMode(): "none" | "decode" | "sockets" {
    const mode = workerMode(this.#o.useWorkers ?? this.#cluster.useWorkers);
    return mode === "sockets" &&
        this.#cluster.connectionSettings.transport !== undefined
      ? "decode"
      : mode;
  }

  /** The assigned cursors, in assignment order. */
  get cursors(): readonly Cursor[] {
    return this.#list;
  }

  /** The cursor of a partition, if it is assigned. */
  cursor(topic: string, partition: number): Cursor | undefined {
    return this.#cursors.get(keyOf(topic, partition));
  }

  /** Request counters and connection counts. */
  get stats(): FetchEngineStats {
    let opened = this.#closedConnects;
    let open = 0;
    for (const mc of this.#connections.keys()) {
      opened += mc.connects;
      if (mc.current !== undefined) open++;
    }
    for (const l of this.#fetchWorker?.lanes ?? []) {
      opened += l.connects;
      if (l.open) open++;
    }
    return {
      ...this.#stats,
      connectionsOpened: opened,
      connectionsOpen: open,
    };
  }

  /** The engine's connections now (closed ones are dropped on `stop()`). */
  get connections(): EngineConnection[] {
    return [
      ...[...this.#connections].map(([mc, [broker, lane]]) => ({
        brokerId: broker.id,
        lane,
        connects: mc.connects,
        open: mc.current !== undefined,
        inWorker: false,
      })),
      // With `useWorkers`, the connections are the fetch worker's.
      ...(this.#fetchWorker?.lanes ?? []).map((l) => ({
        ...l,
        inWorker: true,
      })),
    ];
  }

  /** The engine's sources: broker, fetcher, loop state, fetch session. */
  get sources(): EngineSource[] {
    return [...this.#sources.values()].map((s) => ({
      active: s.active,
      state: { ...s.state },
      brokerId: s.broker.id,
      fetcher: s.index,
      sessionId: s.session.id,
      epoch: s.session.epoch,
    }));
  }

  /**
   * Adds partitions to the assignment, each with a new cursor (positioned
   * when `position` is given). Assigns nothing and throws when one is
   * already assigned (`KafkaError`), unknown (`RangeError`) or has a bad
   * position (`TypeError` / `RangeError`).
   */
  assign(assignments: readonly Assignment[]): Cursor[] {
    const seen = new Set<string>();
    for (const a of assignments) {
      const key = keyOf(a.topic.name, a.partition);
      if (this.#cursors.has(key) || seen.has(key)) {
        throw new KafkaError(
          `FetchEngine.assign: partition ${a.topic.name}/${a.partition} is already assigned`,
        );
      }
      seen.add(key);
      if (!a.topic.partitions.has(a.partition)) {
        throw new RangeError(
          `FetchEngine.assign: topic ${a.topic.name} has no partition ${a.partition} (ids ${
            [...a.topic.partitions.keys()].join(", ")
          })`,
        );
      }
      const p = a.position;
      if (p !== undefined && (typeof p !== "number" || !Number.isInteger(p))) {
        throw new TypeError(
          `FetchEngine.assign: the position of ${a.topic.name}/${a.partition} must be an offset (an integer), got ${
            describeValue(p)
          }`,
        );
      }
      if (p !== undefined && (p < 0 || !Number.isSafeInteger(p))) {
        throw new RangeError(
          `FetchEngine.assign: the position of ${a.topic.name}/${a.partition} must be an offset of 0 or more, got ${p}`,
        );
      }
    }
    const out: Cursor[] = [];
    for (const a of assignments) {
      const c = new Cursor(
        a.topic.partitions.get(a.partition)!,
        this.#nextFetcher++ % this.#o.numConsumerFetchers,
        this.#o.fetchMessageMaxBytes,
        this.budget,
      );
      c.resetPolicy = a.autoOffsetReset;
      c.paused = a.paused ?? false;
      if (a.position !== undefined) c.setNext(a.position);
      this.#cursors.set(keyOf(a.topic.name, a.partition), c);
      out.push(c);
    }
    if (out.length > 0) {
      this.#list = [...this.#list, ...out];
      this.wake();
    }
    return out;
  }

  /**
   * Removes partitions from the assignment (those not assigned are
   * skipped). Their cursors are fenced before this returns a promise:
   * queued messages dropped, fetches in flight ignored, no message of
   * theirs delivered again; the other cursors keep fetching on the same
   * connections, with their queued messages. Fetch sessions drop the
   * partitions with their next request. Resolves with the revoked cursors
   * (positions intact) after `beforeRelease`.
   */
  async revoke(
    partitions: readonly (TopicPartition | Cursor)[],
    options: RevokeOptions = {},
  ): Promise<Cursor[]> {
    const revoked: Cursor[] = [];
    for (const tp of partitions) {
      const key = tp instanceof Cursor
        ? keyOf(tp.topic.name, tp.id)
        : keyOf(tp.topic, tp.partition);
      const c = this.#cursors.get(key);
      if (!c || (tp instanceof Cursor && tp !== c)) continue;
      this.#cursors.delete(key);
      c.close();
      revoked.push(c);
    }
    if (revoked.length > 0) {
      const gone = new Set(revoked);
      this.#list = this.#list.filter((c) => !gone.has(c));
      this.#wakeLoops();
    }
    await options.beforeRelease?.(revoked);
    return revoked;
  }

  /** Pauses cursors: not fetched, queued messages held back, position kept. */
  pause(cursors: readonly Cursor[]): void {
    for (const c of cursors) c.paused = true;
  }

  /** Resumes paused cursors. */
  resume(cursors: readonly Cursor[]): void {
    let data = false;
    for (const c of cursors) {
      if (!c.paused) continue;
      c.paused = false;
      if (c.live && c.count > 0) {
        this.ring.add(c);
        data = true;
      }
    }
    this.wake();
    if (data) this.#hooks.onData?.();
  }

  /**
   * Moves a cursor: the next message delivered has offset `next` (or the
   * first after it); queued messages are dropped, fetches in flight
   * ignored.
   */
  seek(c: Cursor, next: number): void {
    if (!c.live) return;
    c.setNext(next);
    this.wake();
  }

  /**
   * Takes one queued message, round-robin over the cursors (`ring.last` is
   * its cursor), or `undefined` when none is queued. Taking the message
   * that makes room (a cursor below `queuedMaxMessages`, the engine below
   * `queuedMaxBytes`) wakes the fetch loops waiting for it.
   */
  take(): RawMessage | undefined {
    const budget = this.budget;
    const before = budget.bytes;
    const ring = this.ring;
    const m = ring.take();
    if (m === undefined) return undefined;
    const o = this.#o;
    if (
      ring.last!.count === o.queuedMaxMessages - 1 ||
      (before >= o.queuedMaxBytes && budget.bytes < o.queuedMaxBytes)
    ) {
      this.wake();
    }
    return m;
  }

  /** Starts fetching. */
  start(): void {
    if (this.#running) return;
    // Throws outside Deno, before anything starts.
    const mode = this.workerMode;
    if (mode === "sockets") this.#fetchWorker = new FetchWorker();
    else if (mode === "decode") this.#decoder = new WorkerDecoder();
    this.#running = true;
    this.#abort = new AbortController();
    this.#ensureSources();
  }

  /**
   * Stops every loop, abandons fetches in flight, waits for the resets it
   * started, closes the fetch sessions (bounded by the socket timeout, at
   * most 1 s) and every connection of the engine, and terminates its decode
   * worker (`useWorkers`). Queued messages stay.
   */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#abort.abort(new AbortError("the consumer was stopped"));
    this.#wakeLoops();
    const sources = [...this.#sources.values(), ...this.#retired];
    await Promise.all(sources.map((s) => s.ended()));
    this.#decoder?.terminate();
    this.#decoder = undefined;
    await this.#refresher.pending;
    while (this.#tasks.size > 0) {
      await Promise.all([...this.#tasks].map((t) => t.catch(() => {})));
    }
    const closeMs = Math.min(
      1000,
      this.#cluster.connectionSettings.socketTimeoutMs ?? 30_000,
    );
    await Promise.all(sources.map((s) => s.closeSession(closeMs)));
    if (this.#fetchWorker) {
      const fw = this.#fetchWorker;
      await fw.close(closeMs);
      for (const l of fw.lanes) this.#closedConnects += l.connects;
      this.#fetchWorker = undefined;
    }
    this.#retired.clear();
    const closing: Promise<void>[] = [];
    for (const [mc, [broker, laneId]] of this.#connections) {
      this.#closedConnects += mc.connects;
      closing.push(broker.closeGroupConnection(laneId).then(() => mc.close()));
    }
    this.#connections.clear();
    await Promise.all(closing);
    for (const c of this.#list) c.inFlight = false;
  }

  /**
   * Wakes loops waiting for room (messages consumed, positions set) and
   * starts loops for cursors whose leader has none yet.
   */
  wake(): void {
    this.#wakeLoops();
    if (this.#running) this.#ensureSources();
  }

  #wakeLoops(): void {
    if (this.#wakers.length > 0) {
      const w = this.#wakers;
      this.#wakers = [];
      for (const f of w) f();
    }
  }

  #wait(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = () => {
        if (timer !== undefined) clearTimeout(timer);
        resolve();
      };
      this.#wakers.push(done);
      if (Number.isFinite(ms)) timer = setTimeout(done, Math.max(0, ms));
    });
  }

  #connection(broker: Broker, laneId: string): ManagedConnection {
    const mc = broker.groupConnection(laneId);
    if (!this.#connections.has(mc)) this.#connections.set(mc, [broker, laneId]);
    return mc;
  }

  #deliver(c: Cursor, messages: MessageChunk, bytes: number): void {
    c.push(messages, bytes);
    if (!c.paused) this.ring.add(c);
    this.#hooks.onData?.();
  }

  #error(e: Error): void {
    this.#hooks.onError?.(e);
  }

  /** Starts a source loop for every (leader, fetcher index) pair that has none. */
  #ensureSources(): void {
    let leaderless = false;
    for (const c of this.#list) {
      const part = c.partition;
      if (!part.hasLeader) {
        leaderless = true;
        continue;
      }
      const broker = part.leader;
      const key = `${broker.id}/${c.fetcherIndex}`;
      let s = this.#sources.get(key);
      if (s && s.broker !== broker) {
        // The broker object was replaced (it left the metadata and came
        // back): its old source ends by itself.
        this.#retired.add(s);
        s = undefined;
      }
      if (!s) {
        s = new FetchSource(this.#host, broker, c.fetcherIndex, this.#id);
        this.#sources.set(key, s);
      }
      if (!s.active) {
        const source = s;
        source.start(() => {
          this.#retired.delete(source);
          // Cursors may have moved while the loop was ending.
          if (this.#running) queueMicrotask(() => this.#ensureSources());
        });
      }
    }
    if (leaderless) this.#refresh(undefined);
  }

  /** Refreshes metadata (one at a time, after a backoff), then re-plans sources. */
  #refresh(cause: unknown): Promise<void> {
    if (!this.#running) return Promise.resolve();
    return this.#refresher.run(cause, this.#abort.signal, () => {
      if (this.#running) this.wake();
    });
  }

  /** OFFSET_OUT_OF_RANGE from a fetch: move the cursors by their reset policy. */
  #outOfRange(cs: Cursor[]): void {
    resetOutOfRange(
      cs,
      this.#o,
      this.#hooks.onOutOfRange,
      this.#abort.signal,
      (task) => {
        const t: Promise<void> = task.finally(() => {
          this.#tasks.delete(t);
          this.wake();
        });
        this.#tasks.add(t);
      },
      (e) => this.#error(e),
    );
  }

  /** `FetchEngine(3 partitions, running)`. */
  toString(): string {
    return `FetchEngine(${this.#list.length} partitions${
      this.#running ? ", running" : ""
    })`;
  }
}
