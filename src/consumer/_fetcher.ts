// The fetch side of a consumer: one pipelined fetch loop per leader broker
// (times numConsumerFetchers), each on its own connection to that broker,
// many partitions per request. A loop sends its next fetch as soon as the
// previous response is decoded and some of its partitions have room, so a
// fetch is in flight while the application consumes. Record sets are decoded
// in one WebAssembly call per partition, transaction markers and aborted
// transactions are left out, and the messages go to the host's queues.
// Leader moves and dropped connections refresh metadata and move partitions
// to the new leader's loop without losing their position. Shared by the
// simple and balanced consumers.

import {
  AbortError,
  CorruptRecordError,
  errorForCode,
  InvalidMetadataError,
  KafkaError,
  LeaderNotFoundError,
} from "../errors/mod.ts";
import { errorText } from "../util/error_text.ts";
import {
  Fetch,
  type FetchRequest,
  type FetchRequestFetchPartition,
  type FetchResponsePartitionData,
} from "../protocol/mod.ts";
import { sleep } from "../network/mod.ts";
import type { Broker, Cluster, ClusterTopic } from "../cluster/mod.ts";
import { type DecodedMessages, decodeMessages } from "../records/mod.ts";
import type { OwnedPartition, RawMessage } from "./_owned_partition.ts";

/** What the fetcher needs from the consumer that owns the partitions. */
export interface FetcherHost {
  /** The owned partitions (fixed for the fetcher's lifetime). */
  readonly owned: readonly OwnedPartition[];
  /** Bytes of fetched, unconsumed record data held now. */
  queuedBytes(): number;
  /** New messages for `p` (non-empty; `bytes` of record data). */
  deliver(p: OwnedPartition, messages: RawMessage[], bytes: number): void;
  /** An error `consume()` should raise (fetching goes on). */
  fail(error: Error): void;
  /** OFFSET_OUT_OF_RANGE: move these partitions to `autoOffsetReset`. */
  outOfRange(partitions: OwnedPartition[]): void;
}

/** Fetch settings (resolved consumer options). */
export interface FetcherOptions {
  fetchMessageMaxBytes: number;
  fetchMaxBytes: number;
  fetchMinBytes: number;
  fetchWaitMaxMs: number;
  fetchErrorBackoffMs: number;
  queuedMaxMessages: number;
  queuedMaxBytes: number;
  numConsumerFetchers: number;
  isolationLevel: 0 | 1;
  checkCrcs: boolean;
}

function readInt32(b: Uint8Array, at: number): number {
  return (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3];
}

let fetcherSeq = 0;

/**
 * Bytes a queued message holds beyond its record data (its Message object,
 * the key and value views), for the `queuedMaxBytes` budget.
 */
export const MESSAGE_OVERHEAD = 160;

/** Fetches the host's partitions until stopped. */
export class Fetcher {
  readonly #cluster: Cluster;
  readonly #topic: ClusterTopic;
  readonly #host: FetcherHost;
  readonly #o: FetcherOptions;
  readonly #id: string;
  readonly #loops = new Map<string, Promise<void>>();
  readonly #usedBrokers = new Set<Broker>();
  #wakers: (() => void)[] = [];
  #abort = new AbortController();
  #running = false;
  #refreshing: Promise<void> | undefined;
  #rotate = 0;
  #requestTimeoutMs: number;

  constructor(
    topic: ClusterTopic,
    host: FetcherHost,
    options: FetcherOptions,
  ) {
    this.#cluster = topic.cluster;
    this.#topic = topic;
    this.#host = host;
    this.#o = options;
    this.#id = `denokafka-fetch-${++fetcherSeq}-${
      crypto.randomUUID().slice(0, 8)
    }`;
    this.#requestTimeoutMs =
      (this.#cluster.connectionSettings.socketTimeoutMs ?? 30_000) +
      options.fetchWaitMaxMs;
  }

  /** True while the loops run. */
  get running(): boolean {
    return this.#running;
  }

  /** Starts fetching (loops for the current leaders). */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#abort = new AbortController();
    this.#ensureLoops();
  }

  /** Stops every loop, abandons fetches in flight, closes the fetch connections. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#abort.abort(new AbortError("the consumer was stopped"));
    this.wake();
    await Promise.all([...this.#loops.values()]);
    await this.#refreshing?.catch(() => {});
    const closing: Promise<void>[] = [];
    for (const b of this.#usedBrokers) {
      for (let k = 0; k < this.#o.numConsumerFetchers; k++) {
        closing.push(b.closeGroupConnection(`${this.#id}/${k}`));
        closing.push(b.closeGroupConnection(`${this.#id}/${k}+`));
      }
    }
    this.#usedBrokers.clear();
    await Promise.all(closing);
    for (const p of this.#host.owned) p.inFlight = false;
  }

  /**
   * Wakes loops waiting for room (messages consumed, positions set) and
   * starts loops for partitions whose leader has none yet.
   */
  wake(): void {
    this.#wakeLoops();
    if (this.#running) this.#ensureLoops();
  }

  #wakeLoops(): void {
    if (this.#wakers.length > 0) {
      const w = this.#wakers;
      this.#wakers = [];
      for (const f of w) f();
    }
  }

  /** True when a loop waits for room. */
  get waiting(): boolean {
    return this.#wakers.length > 0;
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

  /** Starts a loop for every (leader, fetcher index) pair that has none. */
  #ensureLoops(): void {
    let leaderless = false;
    for (const p of this.#host.owned) {
      if (!p.partition.hasLeader) {
        leaderless = true;
        continue;
      }
      const broker = p.partition.leader;
      const key = `${broker.id}/${p.fetcherIndex}`;
      if (this.#loops.has(key)) continue;
      const loop = this.#loop(broker, p.fetcherIndex).finally(() => {
        if (this.#loops.get(key) === loop) this.#loops.delete(key);
        // Partitions may have moved while the loop was ending.
        if (this.#running) queueMicrotask(() => this.#ensureLoops());
      });
      this.#loops.set(key, loop);
    }
    if (leaderless) this.#refresh(undefined);
  }

  /** Refreshes metadata (one at a time, after a backoff), then re-plans loops. */
  #refresh(cause: unknown): Promise<void> {
    if (!this.#running) return Promise.resolve();
    this.#refreshing ??= (async () => {
      try {
        await sleep(this.#o.fetchErrorBackoffMs, this.#abort.signal);
        if (cause === undefined) await this.#cluster.update();
        else if (!(await this.#cluster.updateOnError(cause))) {
          await this.#cluster.update();
        }
      } catch {
        // Aborted, or no broker answered: the next round tries again.
      } finally {
        this.#refreshing = undefined;
      }
      if (this.#running) this.wake();
    })();
    return this.#refreshing;
  }

  async #loop(broker: Broker, k: number): Promise<void> {
    this.#usedBrokers.add(broker);
    const owned = this.#host.owned;
    const o = this.#o;
    // Two connections ("lanes") to the broker. A broker answers the
    // requests of one connection in order, and a fetch of caught-up
    // partitions is held for fetchWaitMaxMs: partitions known to have more
    // data (high watermark above their position) that become fetchable
    // meanwhile go out on the other lane instead of waiting behind it.
    const lanes = [`${this.#id}/${k}`, `${this.#id}/${k}+`];
    const busy = [false, false];
    const inflight = new Set<Promise<void>>();
    let pausedUntil = 0;
    while (this.#running) {
      const now = Date.now();
      const mine: OwnedPartition[] = [];
      let assigned = false;
      let backlog = false;
      let nextRetry = pausedUntil > now ? pausedUntil : Infinity;
      const n = owned.length;
      const start = n > 0 ? this.#rotate++ % n : 0;
      for (let i = 0; i < n; i++) {
        const p = owned[(start + i) % n];
        if (p.fetcherIndex !== k) continue;
        const part = p.partition;
        if (!part.hasLeader || part.leaderId !== broker.id) continue;
        if (part.leader !== broker) continue;
        assigned = true;
        if (
          !p.positioned || p.resetting > 0 || p.inFlight || p.failed !== null ||
          p.count >= o.queuedMaxMessages
        ) continue;
        if (p.retryAt > now) {
          nextRetry = Math.min(nextRetry, p.retryAt);
          continue;
        }
        if (p.highWatermark > p.nextOffset) backlog = true;
        // Partitions whose fetch size grew go first: brokers return an
        // oversized batch only for the first partition of a response.
        if (p.maxBytes > o.fetchMessageMaxBytes) mine.unshift(p);
        else mine.push(p);
      }
      if (!assigned && inflight.size === 0) return; // moved to other leaders
      const lane = busy[0] ? (busy[1] ? -1 : 1) : 0;
      if (
        lane >= 0 && mine.length > 0 && pausedUntil <= now &&
        (inflight.size === 0 || backlog) &&
        this.#host.queuedBytes() < o.queuedMaxBytes
      ) {
        busy[lane] = true;
        const f: Promise<void> = this.#fetchOnce(broker, lanes[lane], mine)
          .then((throttleMs) => {
            if (throttleMs > 0) {
              pausedUntil = Math.max(pausedUntil, Date.now() + throttleMs);
            }
          }).finally(() => {
            busy[lane] = false;
            inflight.delete(f);
            this.#wakeLoops();
          });
        inflight.add(f);
        continue;
      }
      await this.#wait(nextRetry - now);
    }
    await Promise.all(inflight);
  }

  /** One Fetch request for `parts`; resolves with the broker's throttle time. */
  async #fetchOnce(
    broker: Broker,
    lane: string,
    parts: OwnedPartition[],
  ): Promise<number> {
    const o = this.#o;
    const topic = this.#topic;
    const signal = this.#abort.signal;
    const offsets = parts.map((p) => p.nextOffset);
    const epochs = parts.map((p) => p.epoch);
    const sizes = parts.map((p) => p.maxBytes);
    for (const p of parts) p.inFlight = true;
    let version = 0;
    try {
      const mc = broker.groupConnection(lane);
      const conn = await mc.connection(signal);
      version = conn.versions.pick(Fetch);
      if (version >= 13 && topic.topicId === undefined) version = 12;
      if (o.isolationLevel === 1 && version < 4) {
        throw new KafkaError(
          `isolationLevel READ_COMMITTED needs Fetch v4 (Kafka 0.11+); broker ${broker.id} serves Fetch v${version}`,
        );
      }
      const partitions: FetchRequestFetchPartition[] = parts.map((p, i) => ({
        partition: p.id,
        fetchOffset: offsets[i],
        partitionMaxBytes: sizes[i],
      }));
      const request: FetchRequest = {
        maxWaitMs: o.fetchWaitMaxMs,
        minBytes: o.fetchMinBytes,
        topics: [
          version >= 13
            ? { topicId: topic.topicId, partitions }
            : { topic: topic.name, partitions },
        ],
      };
      if (version >= 3) request.maxBytes = o.fetchMaxBytes;
      if (version >= 4) request.isolationLevel = o.isolationLevel;
      const res = await conn.send(Fetch, request, {
        version,
        timeoutMs: this.#requestTimeoutMs,
        signal,
      });
      for (const p of parts) p.inFlight = false;
      if (!this.#running) return 0;
      if (res.errorCode !== undefined && res.errorCode !== 0) {
        throw errorForCode(
          res.errorCode,
          `Fetch from broker ${broker.id}: ${
            errorForCode(res.errorCode).message
          }`,
        );
      }
      const index = new Map<number, number>();
      parts.forEach((p, i) => index.set(p.id, i));
      let stale: unknown;
      const outOfRange: OwnedPartition[] = [];
      for (const t of res.responses) {
        if (
          version >= 13 ? t.topicId !== topic.topicId : t.topic !== topic.name
        ) {
          continue;
        }
        for (const pr of t.partitions) {
          const i = index.get(pr.partitionIndex);
          if (i === undefined) continue;
          const p = parts[i];
          if (p.epoch !== epochs[i] || p.nextOffset !== offsets[i]) continue;
          if (pr.errorCode === 0) {
            this.#records(p, pr, version, offsets[i], sizes[i], broker);
            continue;
          }
          if (pr.errorCode === 1) {
            outOfRange.push(p);
            continue;
          }
          const e = errorForCode(
            pr.errorCode,
            `Fetch ${topic.name}/${p.id} at offset ${
              offsets[i]
            } from broker ${broker.id}: ${errorForCode(pr.errorCode).message}`,
          );
          if (e instanceof InvalidMetadataError) {
            stale ??= e;
            p.retryAt = Date.now() + o.fetchErrorBackoffMs;
          } else if (e.retriable) {
            p.retryAt = Date.now() + o.fetchErrorBackoffMs;
          } else {
            p.failed = e;
            this.#host.fail(e);
          }
        }
      }
      if (outOfRange.length > 0) this.#host.outOfRange(outOfRange);
      if (stale !== undefined) {
        // Refresh in the background; other partitions keep being fetched.
        this.#refresh(stale);
      }
      return res.throttleTimeMs ?? 0;
    } catch (e) {
      for (const p of parts) p.inFlight = false;
      if (!this.#running || signal.aborted) return 0;
      const retryAt = Date.now() + o.fetchErrorBackoffMs;
      for (const p of parts) p.retryAt = retryAt;
      if (
        e instanceof InvalidMetadataError || e instanceof LeaderNotFoundError
      ) {
        // A dropped connection or a broker that left: find the leaders
        // again before the next round.
        await this.#refresh(e);
      } else if (!(e instanceof KafkaError && e.retriable)) {
        this.#host.fail(
          e instanceof Error ? e : new KafkaError(errorText(e), { cause: e }),
        );
      }
      return 0;
    }
  }

  /** Decodes one partition's records and hands the messages to the host. */
  #records(
    p: OwnedPartition,
    pr: FetchResponsePartitionData,
    version: number,
    fetchOffset: number,
    requestedBytes: number,
    broker: Broker,
  ): void {
    p.highWatermark = this.#o.isolationLevel === 1 &&
        pr.lastStableOffset !== undefined && pr.lastStableOffset >= 0
      ? pr.lastStableOffset
      : pr.highWatermark;
    const bytes = pr.records;
    const topic = this.#topic.name;
    if (bytes === null || bytes.length === 0) {
      // Before Fetch v3 a broker that converts formats (Kafka 0.11+ serving
      // Fetch v0-v2) answers a message larger than the fetch size with no
      // bytes at all, although the partition has data: twice in a row at
      // the same offset is that case.
      if (version < 3 && p.highWatermark > fetchOffset) {
        if (++p.emptyFetches >= 2) {
          p.emptyFetches = 0;
          this.#tooLarge(p, fetchOffset, requestedBytes, 0, version, broker);
        }
      } else p.emptyFetches = 0;
      return;
    }
    p.emptyFetches = 0;
    let decoded: DecodedMessages;
    try {
      decoded = decodeMessages(bytes, {
        topic,
        partition: p.id,
        minOffset: fetchOffset,
        verifyCrc: this.#o.checkCrcs,
      });
    } catch (e) {
      const err = e instanceof Error ? e : new CorruptRecordError(errorText(e));
      p.failed = err;
      this.#host.fail(err);
      return;
    }
    if (decoded.nextOffset === null) {
      // No complete batch: the first one is larger than the fetch size (or
      // the response's byte limit cut it).
      const needed = bytes.length >= 12 ? 12 + readInt32(bytes, 8) : 0;
      if (needed > requestedBytes) {
        if (version >= 3) p.maxBytes = needed;
        else {
          this.#tooLarge(
            p,
            fetchOffset,
            requestedBytes,
            needed,
            version,
            broker,
          );
        }
      }
      return;
    }
    if (p.maxBytes !== this.#o.fetchMessageMaxBytes) {
      p.maxBytes = this.#o.fetchMessageMaxBytes;
    }
    const aborted = this.#o.isolationLevel === 1
      ? pr.abortedTransactions ?? null
      : null;
    const out = toMessages(decoded, aborted);
    if (decoded.nextOffset > p.nextOffset) p.nextOffset = decoded.nextOffset;
    if (out.length > 0) {
      this.#host.deliver(p, out, bytes.length + out.length * MESSAGE_OVERHEAD);
    }
  }

  /**
   * A message the broker cannot return within the fetch size (Fetch v0-v2
   * has no way around it): a clear error, and the partition waits for a
   * new position.
   */
  #tooLarge(
    p: OwnedPartition,
    fetchOffset: number,
    requestedBytes: number,
    needed: number,
    version: number,
    broker: Broker,
  ): void {
    const topic = this.#topic.name;
    const size = needed > 0 ? `is ${needed} bytes, ` : "is ";
    const err = errorForCode(
      10,
      `the message at offset ${fetchOffset} of ${topic}/${p.id} ${size}larger than fetchMessageMaxBytes (${requestedBytes}); broker ${broker.id} serves Fetch v${version} (before Kafka 0.10.1), which cannot return it in parts: raise fetchMessageMaxBytes${
        needed > 0 ? ` to at least ${needed}` : ""
      }`,
    );
    p.failed = err;
    this.#host.fail(err);
  }
}

/**
 * The messages of a decoded record set that the consumer delivers: those
 * of `decoded` without those of aborted transactions (`aborted`: the fetch
 * response's aborted transactions, for READ_COMMITTED). `decoded` must come
 * from `decodeMessages` with `minOffset` set to the fetch offset: the
 * decoder already drops every record before it (also inside a compressed
 * batch or wrapper that starts earlier). Keys and values are the decoder's
 * views (no copy); when nothing is left out, the decoder's array itself is
 * returned.
 */
export function toMessages(
  decoded: DecodedMessages,
  aborted: readonly { producerId: number; firstOffset: number }[] | null,
): RawMessage[] {
  const messages = decoded.messages as RawMessage[];
  const n = messages.length;
  if (aborted === null || aborted.length === 0 || n === 0) return messages;
  const skip = abortedRecords(decoded, n, aborted);
  const out: RawMessage[] = [];
  for (let i = 0; i < n; i++) {
    if (skip[i] === 0) out.push(messages[i]);
  }
  return out;
}

/**
 * Marks (1) the records of aborted transactions: a transactional batch of a
 * producer with an aborted transaction starting at or before the batch's
 * last offset is skipped, until that producer's ABORT marker.
 */
function abortedRecords(
  decoded: DecodedMessages,
  count: number,
  aborted: readonly { producerId: number; firstOffset: number }[],
): Uint8Array {
  const skip = new Uint8Array(count);
  const queue = [...aborted].sort((a, b) => a.firstOffset - b.firstOffset);
  const active = new Set<number>();
  let next = 0;
  for (const b of decoded.batches) {
    while (next < queue.length && queue[next].firstOffset <= b.lastOffset) {
      active.add(queue[next++].producerId);
    }
    if (b.isControl) {
      if (b.controlType === 0) active.delete(b.producerId);
      continue;
    }
    if (b.isTransactional && active.has(b.producerId)) {
      skip.fill(1, b.firstRecord, b.firstRecord + b.decodedRecords);
    }
  }
  return skip;
}
