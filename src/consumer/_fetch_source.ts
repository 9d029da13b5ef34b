// One fetch source of a fetch engine: a pipelined fetch loop for the
// cursors whose leader is one broker (and whose fetcher index is this
// source's), on two connections of its own ("lanes"), any number of topics
// per request, with a fetch session (KIP-227) on brokers that have them.

import {
  errorForCode,
  InvalidMetadataError,
  KafkaError,
  LeaderNotFoundError,
} from "../errors/mod.ts";
import {
  Fetch,
  type FetchRequest,
  type FetchRequestFetchTopic,
  type FetchResponse,
  type FetchResponseFetchableTopicResponse,
  type FetchResponsePartitionData,
} from "../protocol/mod.ts";
import type { Broker } from "../cluster/mod.ts";
import type { BrokerConnection, ManagedConnection } from "../network/mod.ts";
import { errorText } from "../util/error_text.ts";
import type { ByteBudget, Cursor, MessageChunk } from "./_cursor.ts";
import {
  applyRecords,
  type PreDecoded,
  type RecordSettings,
} from "./_fetch_records.ts";
import { FetchSession, type SessionPlan } from "./_fetch_session.ts";
import type { WorkerDecoder } from "../records/_worker_decoder.ts";
import { DEFAULT_MAX_DECOMPRESSED_BYTES } from "../records/_util.ts";
import type { FetchWorker } from "./_fetch_worker_client.ts";
import { NO_BYTES, preDecoded, takeFetch } from "./_fetch_take.ts";
import {
  decodeInWorker,
  type Early,
  keyLookup,
  type PartLookup,
  partLookup,
  releaseEarly,
  releaseHeads,
  settleEarly,
  topicNames,
} from "./_worker_decode.ts";

/** Fetch settings (resolved consumer options). */
export interface SourceSettings extends RecordSettings {
  fetchMaxBytes: number;
  fetchMinBytes: number;
  fetchWaitMaxMs: number;
  fetchErrorBackoffMs: number;
  queuedMaxMessages: number;
  queuedMaxBytes: number;
  /** Use fetch sessions on brokers with Fetch v7+. */
  fetchSessions: boolean;
}

/** Counters of an engine's fetch requests. */
export interface FetchStats {
  /** Fetch requests answered. */
  requests: number;
  /** Of those, full requests of a fetch session (creating it). */
  sessionFullRequests: number;
  /** Of those, incremental requests of a fetch session. */
  incrementalRequests: number;
  /** Bytes written for the answered fetch requests (length prefixes included). */
  requestBytes: number;
  /** Bytes read for their responses. */
  responseBytes: number;
  /** Times a broker dropped or refused a fetch session. */
  sessionResets: number;
}

/** What a source needs from its engine. */
export interface SourceHost {
  readonly settings: SourceSettings;
  readonly stats: FetchStats;
  /** True while the engine runs. */
  readonly running: boolean;
  /** Aborts when the engine stops. */
  readonly signal: AbortSignal;
  /** Timeout of one fetch request. */
  readonly requestTimeoutMs: number;
  /** The assigned cursors (a snapshot, replaced on every change). */
  cursors(): readonly Cursor[];
  /** A counter to rotate the order partitions are listed in. */
  rotate(): number;
  /** Bytes of fetched, unconsumed record data held now (and being decoded). */
  queuedBytes(): number;
  /** The engine's byte budget. */
  readonly budget: ByteBudget;
  /** New messages for a cursor. */
  deliver(c: Cursor, messages: MessageChunk, bytes: number): void;
  /** A cursor failed for good (until repositioned); `consume()` raises `error`. */
  fail(c: Cursor, error: Error): void;
  /** An error `consume()` should raise (fetching goes on). */
  error(error: Error): void;
  /** OFFSET_OUT_OF_RANGE: move these cursors by their reset policy. */
  outOfRange(cursors: Cursor[]): void;
  /** Refreshes metadata (one at a time, after a backoff), then wakes the loops. */
  refresh(cause: unknown): Promise<void>;
  /** Waits until woken, or `ms`. */
  wait(ms: number): Promise<void>;
  /** Wakes every loop waiting in `wait()`. */
  wakeLoops(): void;
  /**
   * A cursor of this source is now led by another broker, or by none (a
   * metadata update from anywhere): start the source that takes it over.
   */
  moved(): void;
  /**
   * The decode worker (`useWorkers` with a custom `transport`: sockets on
   * the event loop), while the engine runs.
   */
  decoder(): WorkerDecoder | undefined;
  /**
   * The fetch worker (`useWorkers`: sockets, reads and decoding in the
   * worker), while the engine runs.
   */
  fetchWorker(): FetchWorker | undefined;
  /** The engine's connection `laneId` to `broker` (tracked, closed on stop). */
  connection(broker: Broker, laneId: string): ManagedConnection;
}

/** A source's loop as {@linkcode FetchSource.state} shows it. */
export interface SourceState {
  /** Fetches in flight. */
  inflight: number;
  /** Waiting for room, a retry time or a response. */
  waiting: boolean;
  /** Requests sent. */
  requests: number;
  /** When the last one was sent (ms since the epoch). */
  lastRequestAt: number;
  /** The last request error, as text. */
  lastError: string | undefined;
}

/** Lane 0 carries the session's requests; lane 1 fetches around a held one. */
const SESSION_LANE = 0;

/**
 * Fetches the cursors led by `broker` with fetcher index `index` while the
 * engine runs. The loop sends its next fetch as soon as the previous
 * response is decoded and some of its cursors have room, so a fetch is in
 * flight while the application consumes. Its session outlives the loop
 * (the loop ends when no cursor is left for it and starts again when one
 * comes back), so a partition that returns is added to the same session.
 */
export class FetchSource {
  readonly broker: Broker;
  readonly index: number;
  readonly lanes: readonly [string, string];
  readonly session = new FetchSession();
  readonly #host: SourceHost;
  #loop: Promise<void> | undefined;
  /** The session lane's connection, once used. */
  #sessionConnection: ManagedConnection | undefined;
  /** What the loop does now, for diagnostics. */
  readonly state: SourceState = {
    inflight: 0,
    waiting: false,
    requests: 0,
    lastRequestAt: 0,
    lastError: undefined,
  };

  constructor(host: SourceHost, broker: Broker, index: number, id: string) {
    this.#host = host;
    this.broker = broker;
    this.index = index;
    this.lanes = [`${id}/${index}`, `${id}/${index}+`];
  }

  /** True while the loop runs. */
  get active(): boolean {
    return this.#loop !== undefined;
  }

  /** Starts the loop unless it runs; `ended` runs when it ends. */
  start(ended: () => void): void {
    if (this.#loop) return;
    const loop = this.#run().finally(() => {
      if (this.#loop === loop) this.#loop = undefined;
      ended();
    });
    this.#loop = loop;
  }

  /** Resolves when the loop has ended (after the engine stopped). */
  async ended(): Promise<void> {
    await this.#loop;
  }

  /**
   * Closes the fetch session on the broker (a request with epoch -1),
   * when there is one and its connection is open; errors are ignored.
   */
  async closeSession(timeoutMs: number): Promise<void> {
    const fw = this.#host.fetchWorker();
    const conn = this.#sessionConnection?.current;
    const close = this.session.closing();
    if ((!conn && !fw) || !close) return;
    const request: FetchRequest = {
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 0,
      isolationLevel: this.#host.settings.isolationLevel,
      sessionId: close.sessionId,
      sessionEpoch: close.sessionEpoch,
      topics: [],
      forgottenTopicsData: [],
    };
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      if (fw) {
        const options = this.broker.connectionOptions();
        const lane = this.lanes[SESSION_LANE];
        const version = await fw.version(this.broker.id, lane, options, signal);
        await fw.fetch(
          this.broker.id,
          lane,
          options,
          version,
          request,
          [],
          {
            timeoutMs,
            flags: 0,
            limit: 0,
          },
          () => "",
          signal,
        );
      } else await conn!.send(Fetch, request, { timeoutMs, signal });
    } catch {
      // The broker evicts the session by itself.
    }
  }

  async #run(): Promise<void> {
    const host = this.#host;
    const o = host.settings;
    const broker = this.broker;
    const k = this.index;
    // A broker answers the requests of one connection in order, and a
    // fetch of caught-up partitions is held for fetchWaitMaxMs: partitions
    // known to have more data (high watermark above their position) that
    // become fetchable meanwhile go out on the other lane instead of
    // waiting behind it.
    const busy = [false, false];
    const inflight = new Set<Promise<void>>();
    let pausedUntil = 0;
    while (host.running) {
      const now = Date.now();
      const mine: Cursor[] = [];
      let assigned = false;
      let backlog = false;
      let nextRetry = pausedUntil > now ? pausedUntil : Infinity;
      const list = host.cursors();
      const n = list.length;
      const start = n > 0 ? host.rotate() % n : 0;
      let moved = false;
      for (let i = 0; i < n; i++) {
        const c = list[(start + i) % n];
        if (c.fetcherIndex !== k) continue;
        const part = c.partition;
        if (
          !part.hasLeader || part.leaderId !== broker.id ||
          part.leader !== broker
        ) {
          if (c.holder === this) {
            c.holder = undefined;
            moved = true;
          }
          continue;
        }
        c.holder = this;
        assigned = true;
        if (!c.fetchable || c.count + c.pending >= o.queuedMaxMessages) {
          continue;
        }
        if (c.retryAt > now) {
          nextRetry = Math.min(nextRetry, c.retryAt);
          continue;
        }
        if (c.highWatermark > c.nextOffset) backlog = true;
        // Partitions whose fetch size grew go first: brokers return an
        // oversized batch only for the first partition of a response.
        if (c.maxBytes > o.fetchMessageMaxBytes) mine.unshift(c);
        else mine.push(c);
      }
      if (moved) host.moved();
      if (!assigned && inflight.size === 0) return; // moved to other leaders
      const lane = busy[0] ? (busy[1] ? -1 : 1) : 0;
      if (
        lane >= 0 && mine.length > 0 && pausedUntil <= now &&
        (inflight.size === 0 || backlog) &&
        host.queuedBytes() < o.queuedMaxBytes
      ) {
        busy[lane] = true;
        this.state.requests++;
        this.state.lastRequestAt = now;
        const f: Promise<void> = this.#fetchOnce(lane, mine)
          .then((throttleMs) => {
            if (throttleMs > 0) {
              pausedUntil = Math.max(pausedUntil, Date.now() + throttleMs);
            }
          }).finally(() => {
            busy[lane] = false;
            inflight.delete(f);
            this.state.inflight = inflight.size;
            host.wakeLoops();
          });
        inflight.add(f);
        this.state.inflight = inflight.size;
        continue;
      }
      this.state.waiting = true;
      await host.wait(nextRetry - now);
      this.state.waiting = false;
    }
    await Promise.all(inflight);
  }

  /** One Fetch request for `parts`; resolves with the broker's throttle time. */
  async #fetchOnce(lane: number, parts: Cursor[]): Promise<number> {
    const host = this.#host;
    const o = host.settings;
    const broker = this.broker;
    const signal = host.signal;
    const offsets = parts.map((c) => c.nextOffset);
    const epochs = parts.map((c) => c.epoch);
    const sizes = parts.map((c) => c.maxBytes);
    for (const c of parts) c.inFlight = true;
    let plan: SessionPlan | undefined;
    let version = 0;
    let early: Map<Cursor, Early> | undefined;
    let decoded = false;
    try {
      const fw = host.fetchWorker();
      const options = fw ? broker.connectionOptions() : undefined;
      let conn: BrokerConnection | undefined;
      if (fw) {
        version = await fw.version(
          broker.id,
          this.lanes[lane],
          options!,
          signal,
        );
      } else {
        const mc = host.connection(broker, this.lanes[lane]);
        if (lane === SESSION_LANE) this.#sessionConnection = mc;
        conn = await mc.connection(signal);
        version = conn.versions.pick(Fetch);
      }
      if (version >= 13 && parts.some((c) => c.topic.topicId === undefined)) {
        version = 12;
      }
      if (o.isolationLevel === 1 && version < 4) {
        throw new KafkaError(
          `isolationLevel READ_COMMITTED needs Fetch v4 (Kafka 0.11+); broker ${broker.id} serves Fetch v${version}`,
        );
      }
      const ids = version >= 13;
      if (lane === SESSION_LANE && o.fetchSessions && version >= 7) {
        plan = this.session.plan(parts, ids);
      }
      const request: FetchRequest = {
        maxWaitMs: o.fetchWaitMaxMs,
        minBytes: o.fetchMinBytes,
        topics: topicsOf(plan ? plan.listed : parts, ids),
      };
      if (version >= 3) request.maxBytes = o.fetchMaxBytes;
      if (version >= 4) request.isolationLevel = o.isolationLevel;
      if (version >= 7) {
        request.sessionId = plan ? plan.sessionId : 0;
        request.sessionEpoch = plan ? plan.sessionEpoch : -1;
        request.forgottenTopicsData = plan ? plan.forgotten : [];
      }
      let res: FetchResponse;
      let pre: Map<FetchResponsePartitionData, PreDecoded> | undefined;
      const stats = host.stats;
      const topicOf = topicNames(parts);
      if (fw) {
        const got = await fw.fetch(
          broker.id,
          this.lanes[lane],
          options!,
          version,
          request,
          parts.map((c, i) => [
            ids ? c.topic.topicId : c.topic.name,
            c.id,
            offsets[i],
          ]),
          {
            timeoutMs: host.requestTimeoutMs,
            flags: o.checkCrcs ? 1 : 0,
            limit: DEFAULT_MAX_DECOMPRESSED_BYTES,
          },
          topicOf,
          signal,
          (heads) => {
            // The response is read; while the worker decodes it, the next
            // fetch of these partitions goes out.
            early = releaseHeads(
              heads,
              parts,
              offsets,
              epochs,
              ids,
              host.budget,
            );
            if (early.size > 0) host.wakeLoops();
          },
        );
        res = got.res;
        pre = got.pre;
        stats.requestBytes += got.requestBytes;
        stats.responseBytes += got.responseBytes;
      } else {
        const c = conn!;
        const before = c.stats;
        const sendOptions = { timeoutMs: host.requestTimeoutMs, signal };
        if (host.decoder() === undefined) {
          // The event loop: responses are read into reused buffers and
          // taken out of them as they are read (`_fetch_take.ts`).
          c.reuseFrameBuffers();
          const byKey = keyLookup(parts, ids);
          const taken = await c.sendDecoded(
            Fetch,
            request,
            version,
            sendOptions,
            (r, frame) =>
              takeFetch(
                r,
                frame,
                version,
                (key, partition) => {
                  const i = byKey(key, partition);
                  return i === undefined ? -Infinity : offsets[i];
                },
                o.checkCrcs ? 1 : 0,
                DEFAULT_MAX_DECOMPRESSED_BYTES,
              ),
          );
          res = taken.res;
          for (const t of res.responses) {
            for (const pr of t.partitions) {
              const done = taken.decoded.get(pr);
              if (done === undefined) continue;
              (pre ??= new Map()).set(
                pr,
                preDecoded(
                  done.result,
                  NO_BYTES,
                  done.length,
                  topicOf(t),
                  pr.partitionIndex,
                  DEFAULT_MAX_DECOMPRESSED_BYTES,
                ),
              );
            }
          }
        } else {
          res = await c.send(Fetch, request, { ...sendOptions, version });
        }
        const after = c.stats;
        stats.requestBytes += after.bytesWritten - before.bytesWritten;
        stats.responseBytes += after.bytesRead - before.bytesRead;
      }
      stats.requests++;
      const errorCode = res.errorCode ?? 0;
      if (plan) {
        const resets = this.session.resets;
        if (plan.full) stats.sessionFullRequests++;
        else stats.incrementalRequests++;
        const ok = this.session.completed(plan, res.sessionId ?? 0, errorCode);
        if (this.session.resets !== resets) {
          // The broker lost the session: a full request goes out next (at
          // once, unless this was one already).
          stats.sessionResets++;
          if (plan.full) {
            const retryAt = Date.now() + o.fetchErrorBackoffMs;
            for (const c of parts) c.retryAt = retryAt;
          }
          return 0;
        }
        if (!ok) plan = undefined;
      }
      if (!host.running) return 0;
      if (errorCode !== 0) {
        throw errorForCode(
          errorCode,
          `Fetch from broker ${broker.id}: ${errorForCode(errorCode).message}`,
        );
      }
      const lookup = partLookup(parts, ids);
      const decoder = host.decoder();
      if (decoder !== undefined) {
        // The next fetch of these partitions goes out while the worker
        // decodes this one.
        early = releaseEarly(
          res.responses,
          parts,
          offsets,
          epochs,
          lookup,
          host.budget,
        );
        if (early.size > 0) host.wakeLoops();
        pre = await decodeInWorker(
          decoder,
          res.responses,
          parts,
          offsets,
          epochs,
          lookup,
          early,
          o.checkCrcs,
          signal,
        );
      }
      if (!host.running) return 0;
      this.#apply(res.responses, parts, offsets, epochs, sizes, version, {
        lookup,
        pre,
        early,
      });
      decoded = true;
      return res.throttleTimeMs ?? 0;
    } catch (e) {
      if (plan) this.session.failed();
      this.state.lastError = errorText(e);
      if (!host.running || signal.aborted) return 0;
      const retryAt = Date.now() + o.fetchErrorBackoffMs;
      for (const c of parts) c.retryAt = retryAt;
      if (
        e instanceof InvalidMetadataError || e instanceof LeaderNotFoundError
      ) {
        // A dropped connection or a broker that left: find the leaders
        // again (in the background: these cursors wait out the backoff,
        // the others keep being fetched).
        host.refresh(e);
      } else if (!(e instanceof KafkaError && e.retriable)) {
        host.error(
          e instanceof Error ? e : new KafkaError(errorText(e), { cause: e }),
        );
      }
      return 0;
    } finally {
      for (const c of parts) if (!early?.has(c)) c.inFlight = false;
      if (early) {
        settleEarly(early, offsets, epochs, host.budget, !decoded);
      }
    }
  }

  /** Applies the partitions of a response to the cursors of the request. */
  #apply(
    responses: FetchResponseFetchableTopicResponse[],
    parts: Cursor[],
    offsets: number[],
    epochs: number[],
    sizes: number[],
    version: number,
    { lookup, pre, early }: {
      lookup: PartLookup;
      pre: Map<FetchResponsePartitionData, PreDecoded> | undefined;
      early: ReadonlyMap<Cursor, Early> | undefined;
    },
  ): void {
    const host = this.#host;
    const o = host.settings;
    const broker = this.broker;
    let stale: unknown;
    const outOfRange: Cursor[] = [];
    for (const t of responses) {
      for (const pr of t.partitions) {
        const i = lookup(t, pr.partitionIndex);
        if (i === undefined) continue;
        const c = parts[i];
        // The fence: a cursor moved, paused-and-sought or revoked since
        // the request went out takes nothing from it.
        // (A cursor released early has moved on already: its epoch alone.)
        if (
          !c.live || c.epoch !== epochs[i] ||
          (c.nextOffset !== offsets[i] && !early?.has(c))
        ) {
          continue;
        }
        if (pr.errorCode === 0) {
          const p = pre?.get(pr);
          if (early?.has(c) && p?.decoded instanceof Error) {
            // Back to the failed set's offset; what was fetched after it
            // is fenced off.
            c.nextOffset = offsets[i];
            c.epoch++;
          }
          applyRecords(
            c,
            pr,
            version,
            offsets[i],
            sizes[i],
            broker,
            o,
            host,
            pre?.get(pr),
          );
          continue;
        }
        if (pr.errorCode === 1) {
          outOfRange.push(c);
          continue;
        }
        const e = errorForCode(
          pr.errorCode,
          `Fetch ${c.topic.name}/${c.id} at offset ${
            offsets[i]
          } from broker ${broker.id}: ${errorForCode(pr.errorCode).message}`,
        );
        if (e instanceof InvalidMetadataError) {
          stale ??= e;
          c.retryAt = Date.now() + o.fetchErrorBackoffMs;
        } else if (e.retriable) {
          c.retryAt = Date.now() + o.fetchErrorBackoffMs;
        } else {
          host.fail(c, e);
        }
      }
    }
    if (outOfRange.length > 0) host.outOfRange(outOfRange);
    // Refresh in the background; other partitions keep being fetched.
    if (stale !== undefined) host.refresh(stale);
  }
}

/** The request's topics: `cursors` grouped by topic (name, or id for v13+). */
function topicsOf(
  cursors: readonly Cursor[],
  ids: boolean,
): FetchRequestFetchTopic[] {
  const out: FetchRequestFetchTopic[] = [];
  const byTopic = new Map<string, FetchRequestFetchTopic>();
  for (const c of cursors) {
    const name = c.topic.name;
    let t = byTopic.get(name);
    if (!t) {
      t = ids
        ? { topicId: c.topic.topicId, partitions: [] }
        : { topic: name, partitions: [] };
      byTopic.set(name, t);
      out.push(t);
    }
    t.partitions.push({
      partition: c.id,
      fetchOffset: c.nextOffset,
      partitionMaxBytes: c.maxBytes,
    });
  }
  return out;
}
