// One sink per leader broker of the produce engine (internal): it takes the
// sendable batches of the partitions that broker leads, across every topic,
// into Produce requests of at most `maxRequestSize` bytes, keeps at most
// `maxInFlight` of them in flight, and hands each batch's outcome back to
// the engine.
import { errorForCode, KafkaError } from "../errors/mod.ts";
import {
  Produce,
  type ProduceRequest,
  type ProduceRequestPartitionProduceData,
  type ProduceRequestTopicProduceData,
  type ProduceResponse,
  type ProduceResponsePartitionProduceResponse,
} from "../protocol/mod.ts";
import { CompressionType } from "../records/mod.ts";
import { UnsupportedCompressionType } from "../errors/mod.ts";
import type { Broker } from "../cluster/mod.ts";
import type { Batch, PartitionState, TopicState } from "./_batch.ts";

/** Bytes a batch adds to a request besides its records (upper bound). */
export const BATCH_OVERHEAD = 64;

/** What a sink needs from the engine. */
export interface SinkHost {
  readonly maxInFlight: number;
  readonly maxRequestSize: number;
  readonly requiredAcks: -1 | 0 | 1;
  readonly ackTimeoutMs: number;
  readonly compression: CompressionType;
  /** Sent in every request (transactional producers), else null. */
  readonly transactionalId: string | null;
  /** The highest Produce version to use (11 for transactions v1). */
  readonly maxProduceVersion: number;
  /** Idempotent delivery is on (DUPLICATE_SEQUENCE_NUMBER is success). */
  readonly idempotent: boolean;
  /** The client's socket timeout (requests wait at least acks + 5 s). */
  readonly socketTimeoutMs: number;
  /** Whether the first queued batch of `ps` may be sent now. */
  sendable(ps: PartitionState, now: number): boolean;
  /** Whether the young open batch of `ps` may ride along in a request. */
  mayRideAlong(ps: PartitionState): boolean;
  /** Closes the open batch of `ps` into its queue. */
  close(ps: PartitionState): void;
  /** The record format in use is `magic` (0, 1 or 2). */
  formatIs(magic: number): void;
  /**
   * The record set of a batch in `magic` (null when nothing is left to
   * send: the batch is finished); throws to fail the batch.
   */
  encode(b: Batch, magic: number): Uint8Array | null;
  /** Counts a request (per producer) with the batches it carries. */
  countRequest(batches: Batch[], bytes: number): void;
  /** A request took off (for the engine's in-flight total). */
  requestStarted(): void;
  /** A request is over (answered, failed or written without acks). */
  requestEnded(): void;
  /** The broker took `b` at `baseOffset`. */
  delivered(b: Batch, baseOffset: number, logAppendTime: number): void;
  /** `b` failed with `err` (the engine retries, splits or fails it). */
  batchError(b: Batch, err: Error): void;
  /** `b` could not be encoded (fails it for good). */
  encodeFailed(b: Batch, err: Error): void;
  /** Answers were handled: drain again, start a pending id reset. */
  afterCompletion(): void;
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new KafkaError(String(e));
}

/** Dispatches the batches of the partitions one broker leads. */
export class BrokerSink {
  readonly broker: Broker;
  /** Requests in flight. */
  inFlight = 0;
  readonly #host: SinkHost;

  constructor(broker: Broker, host: SinkHost) {
    this.broker = broker;
    this.#host = host;
  }

  /**
   * Sends requests while fewer than `maxInFlight` are in flight and some
   * partition of `list` (those this broker leads with something to send)
   * has a sendable batch; young open batches of `list` ride along.
   */
  send(list: PartitionState[], now: number): void {
    const h = this.#host;
    const limit = h.maxRequestSize;
    while (this.inFlight < h.maxInFlight) {
      let any = false;
      for (const ps of list) {
        if (h.sendable(ps, now)) {
          any = true;
          break;
        }
      }
      if (!any) return;
      const batches: Batch[] = [];
      let size = 0;
      for (const ps of list) {
        let b: Batch | undefined;
        if (h.sendable(ps, now)) b = ps.queue[0];
        else if (h.mayRideAlong(ps)) {
          h.close(ps);
          b = ps.queue[0];
        }
        if (b === undefined) continue;
        const est = b.bytes + BATCH_OVERHEAD;
        if (batches.length > 0 && size + est > limit) continue;
        ps.queue.shift();
        batches.push(b);
        size += est;
      }
      if (batches.length === 0) return;
      this.inFlight++;
      h.requestStarted();
      for (const b of batches) b.ps.inFlight.push(b);
      this.#dispatch(batches);
    }
  }

  /** Encodes and sends one request (the batches are already in flight). */
  #dispatch(batches: Batch[]): void {
    const h = this.#host;
    const broker = this.broker;
    const versions = broker.versions;
    if (versions === undefined) {
      // Not connected yet (or reconnecting): learn the versions first.
      broker.apiVersion(Produce).then(
        () => this.#dispatch(batches),
        (e) => this.#requestFailed(batches, e),
      );
      return;
    }
    let version: number;
    try {
      version = Math.min(versions.pick(Produce), h.maxProduceVersion);
    } catch (e) {
      this.#requestFailed(batches, e);
      return;
    }
    if (version >= 13) {
      for (const b of batches) {
        if (b.ps.topic.topic.topicId === undefined) {
          version = 12;
          break;
        }
      }
    }
    const magic = version >= 3 ? 2 : version === 2 ? 1 : 0;
    h.formatIs(magic);
    if (h.compression === CompressionType.ZSTD && version < 7) {
      this.#requestFailed(
        batches,
        new UnsupportedCompressionType(
          `zstd needs Kafka 2.1+ (Produce v7); broker ${broker.id} speaks Produce v${version}`,
        ),
      );
      return;
    }
    const byTopic = new Map<TopicState, ProduceRequestPartitionProduceData[]>();
    const sent: Batch[] = [];
    let bytes = 0;
    for (const b of batches) {
      let records: Uint8Array | null;
      try {
        records = h.encode(b, magic);
      } catch (e) {
        b.ps.removeInFlight(b);
        h.encodeFailed(b, asError(e));
        continue;
      }
      if (records === null) {
        b.ps.removeInFlight(b);
        continue;
      }
      const ts = b.ps.topic;
      const list = byTopic.get(ts);
      const pd = { index: b.ps.id, records };
      if (list === undefined) byTopic.set(ts, [pd]);
      else list.push(pd);
      sent.push(b);
      bytes += records.length;
    }
    if (sent.length === 0) {
      this.#requestDone();
      h.afterCompletion();
      return;
    }
    h.countRequest(sent, bytes);
    const topicData: ProduceRequestTopicProduceData[] = [];
    let names = 0;
    for (const [ts, partitionData] of byTopic) {
      topicData.push(
        version >= 13
          ? { topicId: ts.topic.topicId, partitionData }
          : { name: ts.name, partitionData },
      );
      names += ts.name.length * 3 + 16;
    }
    const request: ProduceRequest = {
      acks: h.requiredAcks,
      timeoutMs: h.ackTimeoutMs,
      topicData,
    };
    if (h.transactionalId !== null) {
      request.transactionalId = h.transactionalId;
    }
    // Record bytes + per-partition framing + the topic names: the request
    // buffer is allocated once at about its final size.
    const sizeHint = bytes + 16 * sent.length + names + 64 +
      (h.transactionalId?.length ?? 0) * 3;
    if (h.requiredAcks === 0) {
      broker.send(Produce, request, {
        version,
        expectResponse: false,
        sizeHint,
      }).then(
        () => this.#onWritten(sent),
        (e) => this.#requestFailed(sent, e),
      );
    } else {
      broker.send(Produce, request, {
        version,
        timeoutMs: Math.max(h.socketTimeoutMs, h.ackTimeoutMs + 5_000),
        sizeHint,
      }).then(
        (res) => this.#onResponse(sent, res),
        (e) => this.#requestFailed(sent, e),
      );
    }
  }

  #requestDone(): void {
    this.inFlight--;
    this.#host.requestEnded();
  }

  #onWritten(batches: Batch[]): void {
    this.#requestDone();
    for (const b of batches) {
      b.ps.removeInFlight(b);
      this.#host.delivered(b, -1, -1);
    }
    this.#host.afterCompletion();
  }

  #onResponse(batches: Batch[], res: ProduceResponse): void {
    this.#requestDone();
    const h = this.#host;
    const byTopic = new Map<
      string,
      Map<number, ProduceResponsePartitionProduceResponse>
    >();
    for (const t of res.responses) {
      const m = new Map<number, ProduceResponsePartitionProduceResponse>();
      for (const pr of t.partitionResponses) m.set(pr.index, pr);
      byTopic.set(t.name || t.topicId || "", m);
    }
    for (const b of batches) {
      const ps = b.ps;
      ps.removeInFlight(b);
      const t = ps.topic;
      const pr = (byTopic.get(t.name) ??
        (t.topic.topicId !== undefined
          ? byTopic.get(t.topic.topicId)
          : undefined))?.get(ps.id);
      if (pr === undefined) {
        h.batchError(
          b,
          new KafkaError(
            `broker ${this.broker.id} did not answer for ${ps.label}`,
            { retriable: true },
          ),
        );
        continue;
      }
      const code = pr.errorCode;
      if (code === 0) {
        h.delivered(b, pr.baseOffset, pr.logAppendTimeMs ?? -1);
        continue;
      }
      let message = pr.errorMessage ?? undefined;
      if (pr.recordErrors !== undefined && pr.recordErrors.length > 0) {
        message = `${message ?? errorForCode(code).message} (records ${
          pr.recordErrors.map((r) =>
            `${r.batchIndex}${
              r.batchIndexErrorMessage ? `: ${r.batchIndexErrorMessage}` : ""
            }`
          ).join("; ")
        })`;
      }
      if (code === 46 && h.idempotent) {
        // DUPLICATE_SEQUENCE_NUMBER: the broker has it already.
        h.delivered(b, pr.baseOffset, pr.logAppendTimeMs ?? -1);
        continue;
      }
      h.batchError(b, errorForCode(code, message));
    }
    h.afterCompletion();
  }

  #requestFailed(batches: Batch[], e: unknown): void {
    this.#requestDone();
    const err = asError(e);
    for (const b of batches) {
      b.ps.removeInFlight(b);
      this.#host.batchError(b, err);
    }
    this.#host.afterCompletion();
  }
}
