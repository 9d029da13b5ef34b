// Helpers of the fetch engine tests: an engine with a reader that waits on
// its data hook (never on a sleep), per-partition record bookkeeping, and a
// background producer of numbered records.
import assert from "node:assert/strict";
import type { ClusterTopic } from "../../src/cluster/mod.ts";
import {
  type EngineCluster,
  FetchEngine,
  type FetchEngineHooks,
} from "../../src/consumer/fetch_engine.ts";
import type { RawMessage } from "../../src/consumer/_cursor.ts";
import {
  resolveConsumerOptions,
  type SimpleConsumerOptions,
} from "../../src/consumer/options.ts";
import { dec, produceTo, rec } from "./_helpers.ts";

/** A fetch engine and a reader of what it delivers. */
export class EngineReader {
  readonly engine: FetchEngine;
  readonly errors: Error[] = [];
  #waiters = new Set<() => void>();

  constructor(
    cluster: EngineCluster,
    options: SimpleConsumerOptions = {},
    hooks: Pick<FetchEngineHooks, "onOutOfRange"> = {},
  ) {
    this.engine = new FetchEngine(cluster, resolveConsumerOptions(options), {
      ...hooks,
      onData: () => this.#wake(),
      onError: (e) => {
        this.errors.push(e);
        this.#wake();
      },
    });
  }

  #wake(): void {
    for (const w of [...this.#waiters]) w();
  }

  /** The next delivered message, or `null` after `timeoutMs` without one. */
  async next(timeoutMs = 20_000): Promise<RawMessage | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const e = this.errors.shift();
      if (e) throw e;
      const m = this.engine.take();
      if (m !== undefined) return m;
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.#waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, left);
        this.#waiters.add(done);
      });
    }
  }

  /**
   * Takes messages until `until()` holds (failing after `timeoutMs` of
   * silence, with the state of every cursor and `context()` in the message).
   */
  async readUntil(
    log: RecordLog,
    until: () => boolean,
    timeoutMs = 30_000,
    context: () => string = () => "",
  ): Promise<void> {
    while (!until()) {
      const m = await this.next(timeoutMs);
      if (!m) {
        assert.fail(
          `no message for ${timeoutMs} ms (${log.total} read)\n${
            this.describe(log)
          }\n${context()}`,
        );
      }
      log.add(m);
    }
  }

  /** One line per cursor: position, fetch state, leader, what was read. */
  describe(log?: RecordLog): string {
    const lines = this.engine.cursors.map((c) => {
      const p = c.partition;
      return `${c}: positioned ${c.positioned} next ${c.nextOffset} read ${
        log?.count(c.topic.name, c.id) ?? "?"
      } queued ${c.count} inFlight ${c.inFlight} retryIn ${
        Math.max(0, c.retryAt - Date.now())
      } resetting ${c.resetting} failed ${c.failed} leader ${p.leaderId}${
        p.hasLeader ? "" : " (unknown)"
      } hw ${c.highWatermark}`;
    });
    lines.push(
      `running ${this.engine.running} queued bytes ${this.engine.budget.bytes} stats ${
        JSON.stringify(this.engine.stats)
      }`,
    );
    lines.push(`sources ${JSON.stringify(this.engine.sources)}`);
    return lines.join("\n");
  }

  /** Stops the engine. */
  stop(): Promise<void> {
    return this.engine.stop();
  }
}

/** What was delivered, per `topic/partition`: values in delivery order. */
export class RecordLog {
  readonly byPartition = new Map<string, string[]>();
  readonly offsets = new Map<string, number[]>();
  total = 0;

  add(m: RawMessage): void {
    const key = `${m.topic}/${m.partitionId}`;
    let l = this.byPartition.get(key);
    if (!l) {
      this.byPartition.set(key, l = []);
      this.offsets.set(key, []);
    }
    l.push(dec.decode(m.value!));
    this.offsets.get(key)!.push(m.offset);
    this.total++;
  }

  count(topic: string, partition: number): number {
    return this.byPartition.get(`${topic}/${partition}`)?.length ?? 0;
  }

  values(topic: string, partition: number): string[] {
    return this.byPartition.get(`${topic}/${partition}`) ?? [];
  }
}

/** `topic/p/i`: the value of record i of a partition. */
export function valueOf(topic: string, partition: number, i: number): string {
  return `${topic}/${partition}/${i}`;
}

/** Produces records `from` .. `from + count - 1` of one partition, in batches. */
export async function produceNumbered(
  topic: ClusterTopic,
  partition: number,
  from: number,
  count: number,
  batch = 100,
): Promise<void> {
  for (let at = from; at < from + count; at += batch) {
    const n = Math.min(batch, from + count - at);
    await produceTo(
      topic,
      partition,
      Array.from(
        { length: n },
        (_, i) => rec(valueOf(topic.name, partition, at + i)),
      ),
    );
  }
}

/**
 * Produces numbered records to every partition of `topics` in rounds until
 * stopped; `produced()` tells how many each partition got.
 */
export class BackgroundProducer {
  readonly #counts = new Map<string, number>();
  #stop = false;
  readonly done: Promise<void>;

  /** The last produce error (production goes on: the round is sent again). */
  lastError: unknown;

  constructor(topics: ClusterTopic[], perRound = 20) {
    this.done = (async () => {
      while (!this.#stop) {
        await Promise.all(
          topics.flatMap((t) =>
            [...t.partitions.keys()].map(async (p) => {
              const key = `${t.name}/${p}`;
              const from = this.#counts.get(key) ?? 0;
              try {
                await produceNumbered(t, p, from, perRound);
                this.#counts.set(key, from + perRound);
              } catch (e) {
                // A broker going away: the next round sends these again.
                this.lastError = e;
              }
            })
          ),
        );
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
  }

  /** `topic/p: n` per partition, and the last error. */
  describe(): string {
    return `produced ${JSON.stringify(Object.fromEntries(this.#counts))}${
      this.lastError === undefined ? "" : ` last error ${this.lastError}`
    }`;
  }

  /** Records produced to a partition so far. */
  produced(topic: string, partition: number): number {
    return this.#counts.get(`${topic}/${partition}`) ?? 0;
  }

  /** Stops after the round in flight. */
  async stop(): Promise<void> {
    this.#stop = true;
    await this.done;
  }
}

/** Asserts that `values` are records `from`, `from + 1`, ... of the partition. */
export function assertSequence(
  values: string[],
  topic: string,
  partition: number,
  from = 0,
): void {
  for (let i = 0; i < values.length; i++) {
    if (values[i] !== valueOf(topic, partition, from + i)) {
      assert.fail(
        `${topic}/${partition}: record ${i} is ${values[i]}, expected ${
          valueOf(topic, partition, from + i)
        }`,
      );
    }
  }
}
