// What every consumer does over its fetch engine, whatever decides the
// assignment: the start/stop life cycle, consume() (round-robin, blocking
// with a deadline and an AbortSignal, background errors raised once),
// iteration, the readable stream, and autocommit. The simple consumer
// positions a fixed assignment on start; the balanced consumers join their
// group there.

import { ConsumerStoppedException, KafkaError } from "../errors/mod.ts";
import type { Cluster } from "../cluster/mod.ts";
import type { Message } from "../records/mod.ts";
import { errorText } from "../util/error_text.ts";
import { rules } from "../util/options.ts";
import type { Deserializer } from "./options.ts";
import type { FetchEngine } from "./fetch_engine.ts";
import type { ConsumerOffsets } from "./_consumer_offsets.ts";

/**
 * Options of `SimpleConsumer.consume()` (and of the balanced
 * consumers' `consume()`).
 *
 * @example
 * ```ts
 * import { KafkaClient } from "@denokafka/kafka";
 *
 * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
 * await using client = await KafkaClient.connect({ hosts });
 * const name = `orders-${crypto.randomUUID()}`;
 * await client.createTopics([{ name, numPartitions: 1 }]);
 * try {
 *   const topic = await client.topics.get(name);
 *   {
 *     await using producer = topic.getSyncProducer();
 *     for (let i = 0; i < 1; i++) await producer.produce(new TextEncoder().encode(`order #${i}`));
 *   }
 *   await using consumer = topic.getSimpleConsumer();
 *   const controller = new AbortController();
 *   const m = await consumer.consume({ block: true, timeoutMs: 5_000, signal: controller.signal });
 *   console.log(m?.offset); // 0
 * } finally {
 *   await client.deleteTopics([name]);
 * }
 * ```
 */
export interface ConsumeOptions {
  /**
   * Wait for a message (default `true`). `false`: return a buffered
   * message or `null` at once.
   */
  block?: boolean;
  /**
   * Longest wait in ms (default: the consumer's `consumerTimeoutMs`; 0 or
   * less: no limit). `null` is returned when it passes.
   */
  timeoutMs?: number;
  /**
   * Ends the wait: a blocked `consume()` returns `null` when it aborts
   * (pykafka's `unblock_event`).
   */
  signal?: AbortSignal;
}

/** The settings the core needs (resolved consumer options). */
export interface CoreSettings<V, K> {
  consumerTimeoutMs: number;
  autoCommitEnable: boolean;
  autoCommitIntervalMs: number;
  deserializer: Deserializer<V, K> | undefined;
}

/** What the consumer built on the core does at start and stop. */
export interface CoreOwner {
  /** The class name, for messages (`SimpleConsumer`). */
  name: string;
  /**
   * Runs on `start()` before fetching begins: position the cursors (or
   * join the group). An error fails the start.
   */
  onStart(signal: AbortSignal): Promise<void>;
  /** Runs on `stop()` after fetching stopped and the final autocommit. */
  onStop?(): Promise<void>;
}

const CONSUME_RULES = {
  block: rules.bool(),
  timeoutMs: rules.check<number>(
    "a number (ms; 0 or less: no limit)",
    (v) => typeof v === "number" && !Number.isNaN(v),
  ),
  signal: rules.signal(),
};

/**
 * The types of `consume()`'s options, checked only when it waits (not on
 * the path that returns a buffered message): no unknown-name check there.
 */
function checkConsumeOptions(o: ConsumeOptions, owner: string): void {
  const what = `${owner}.consume`;
  if (o.block !== undefined) CONSUME_RULES.block(o.block, what, "block");
  if (o.timeoutMs !== undefined) {
    CONSUME_RULES.timeoutMs(o.timeoutMs, what, "timeoutMs");
  }
  if (o.signal !== undefined) {
    CONSUME_RULES.signal(o.signal, what, "signal");
  }
}

const STOPPED = 0;
const STARTING = 1;
const RUNNING = 2;
const STOPPING = 3;

const DONE: IteratorReturnResult<undefined> = Object.freeze({
  value: undefined,
  done: true,
});

/** The shared consumer machinery over one fetch engine. */
export class ConsumerCore<V, K> {
  readonly engine: FetchEngine;
  readonly offsets: ConsumerOffsets;
  readonly #cluster: Cluster;
  readonly #o: CoreSettings<V, K>;
  readonly #owner: CoreOwner;
  #state = STOPPED;
  #starting: Promise<void> | undefined;
  #stopping: Promise<void> | undefined;
  #startError: unknown;
  #fatalError: Error | undefined;
  #abort = new AbortController();
  #errors: Error[] = [];
  readonly #waiters = new Set<() => void>();
  readonly #tasks = new Set<Promise<unknown>>();
  #autocommitTimer: ReturnType<typeof setTimeout> | undefined;
  #readable: ReadableStream<Message<V, K>> | undefined;

  constructor(
    cluster: Cluster,
    engine: FetchEngine,
    offsets: ConsumerOffsets,
    settings: CoreSettings<V, K>,
    owner: CoreOwner,
  ) {
    this.#cluster = cluster;
    this.engine = engine;
    this.offsets = offsets;
    this.#o = settings;
    this.#owner = owner;
  }

  /** The engine's hook for new data. */
  dataArrived(): void {
    if (this.#waiters.size > 0) this.#wakeConsumers();
  }

  /** An error the next `consume()` raises. */
  fail(e: Error): void {
    this.#errors.push(e);
    this.#wakeConsumers();
  }

  /**
   * An error the consumer cannot go on after (a balanced consumer fenced by
   * its group): the consumer stops, and `consume()` (blocked calls too)
   * raises this error instead of `ConsumerStoppedException` until the next
   * `start()`.
   */
  failAndStop(e: Error): void {
    this.#fatalError ??= e;
    this.#wakeConsumers();
    this.stop().catch(() => {});
  }

  /** True between a successful `start()` and `stop()`. */
  get running(): boolean {
    return this.#state === RUNNING;
  }

  /** Aborts when the consumer stops. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** See `SimpleConsumer.start`. */
  start(): Promise<void> {
    if (this.#state === RUNNING) return Promise.resolve();
    if (this.#starting) return this.#starting;
    if (this.#stopping) {
      return this.#stopping.catch(() => {}).then(() => this.start());
    }
    this.#state = STARTING;
    this.#startError = undefined;
    this.#fatalError = undefined;
    this.#abort = new AbortController();
    const signal = this.#abort.signal;
    const p = this.#doStart(signal).then(
      () => {
        if (signal.aborted) {
          throw new ConsumerStoppedException(
            "the consumer was stopped while starting",
          );
        }
        this.#state = RUNNING;
        this.engine.start();
        this.#scheduleAutocommit();
        this.#wakeConsumers();
      },
      (e) => {
        if (signal.aborted) {
          throw new ConsumerStoppedException(
            "the consumer was stopped while starting",
            { cause: e },
          );
        }
        this.#state = STOPPED;
        this.#startError = e;
        this.#wakeConsumers();
        throw e;
      },
    ).finally(() => {
      if (this.#starting === p) this.#starting = undefined;
    });
    this.#starting = p;
    return p;
  }

  async #doStart(signal: AbortSignal): Promise<void> {
    await this.#cluster.ready();
    await this.#owner.onStart(signal);
  }

  /** See `SimpleConsumer.stop`. */
  stop(): Promise<void> {
    if (this.#stopping) return this.#stopping;
    if (this.#state === STOPPED && !this.#starting) return Promise.resolve();
    const p = this.#doStop().finally(() => {
      if (this.#stopping === p) this.#stopping = undefined;
    });
    this.#stopping = p;
    return p;
  }

  async #doStop(): Promise<void> {
    const wasRunning = this.#state === RUNNING;
    this.#abort.abort(new ConsumerStoppedException("the consumer was stopped"));
    const starting = this.#starting;
    this.#state = STOPPING;
    this.#wakeConsumers();
    if (starting) await starting.catch(() => {});
    if (this.#autocommitTimer !== undefined) {
      clearTimeout(this.#autocommitTimer);
      this.#autocommitTimer = undefined;
    }
    await this.engine.stop();
    while (this.#tasks.size > 0) {
      await Promise.all([...this.#tasks].map((t) => t.catch(() => {})));
    }
    let stopError: unknown;
    if (wasRunning && this.#o.autoCommitEnable && this.offsets.hasGroup) {
      try {
        await this.offsets.commit(undefined, undefined);
      } catch (e) {
        stopError = e;
      }
    }
    try {
      await this.#owner.onStop?.();
    } catch (e) {
      stopError ??= e;
    }
    // Prefetched messages are dropped; a restart fetches them again.
    this.engine.ring.clear();
    for (const c of this.engine.cursors) {
      if (c.positioned) c.setNext(c.lastOffsetConsumed + 1);
      else c.flush();
    }
    this.#state = STOPPED;
    this.#wakeConsumers();
    if (stopError !== undefined) throw stopError;
  }

  /** See `SimpleConsumer.consume`. */
  consume(options?: ConsumeOptions): Promise<Message<V, K> | null> {
    if (this.#state === RUNNING && this.#errors.length === 0) {
      const m = this.#take();
      if (m !== undefined) return Promise.resolve(m);
      if (options?.block === false) return Promise.resolve(null);
    }
    return this.#consumeSlow(options ?? {});
  }

  /** Takes one buffered message (round-robin), or `undefined`. */
  #take(): Message<V, K> | undefined {
    const raw = this.engine.take();
    if (raw === undefined) return undefined;
    const des = this.#o.deserializer;
    if (des !== undefined) {
      const [v, k] = des(raw.value, raw.partitionKey);
      const m = raw as unknown as Message<V, K>;
      m.value = v;
      m.partitionKey = k;
      return m;
    }
    return raw as unknown as Message<V, K>;
  }

  async #consumeSlow(options: ConsumeOptions): Promise<Message<V, K> | null> {
    checkConsumeOptions(options, this.#owner.name);
    const block = options.block ?? true;
    const timeoutMs = options.timeoutMs ?? this.#o.consumerTimeoutMs;
    const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : Infinity;
    const signal = options.signal;
    for (;;) {
      if (this.#state === STARTING && this.#starting) {
        if (!block) return null;
        await this.#waitForData(deadline - Date.now(), signal);
        if (signal?.aborted || Date.now() >= deadline) {
          if (this.#state === STARTING) return null;
        }
        continue;
      }
      if (this.#state !== RUNNING) {
        if (this.#fatalError !== undefined) throw this.#fatalError;
        if (this.#state === STOPPED && this.#startError !== undefined) {
          throw this.#startError;
        }
        throw new ConsumerStoppedException(
          "consume() on a stopped consumer; call start() first",
        );
      }
      const err = this.#errors.shift();
      if (err !== undefined) throw err;
      const m = this.#take();
      if (m !== undefined) return m;
      if (!block || signal?.aborted) return null;
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await this.#waitForData(left, signal);
    }
  }

  #waitForData(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = () => {
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        this.#waiters.delete(done);
        resolve();
      };
      if (signal?.aborted) return resolve();
      this.#waiters.add(done);
      signal?.addEventListener("abort", done, { once: true });
      if (Number.isFinite(ms)) timer = setTimeout(done, Math.max(0, ms));
    });
  }

  #wakeConsumers(): void {
    if (this.#waiters.size === 0) return;
    for (const w of [...this.#waiters]) w();
  }

  /** See `SimpleConsumer[Symbol.asyncIterator]`. */
  iterator(): AsyncIterableIterator<Message<V, K>> {
    const it: AsyncIterableIterator<Message<V, K>> = {
      next: (): Promise<IteratorResult<Message<V, K>>> => {
        if (this.#state === RUNNING && this.#errors.length === 0) {
          const m = this.#take();
          if (m !== undefined) {
            return Promise.resolve({ value: m, done: false });
          }
        }
        return this.#consumeSlow({ block: true }).then(
          (m): IteratorResult<Message<V, K>> =>
            m === null ? DONE : { value: m, done: false },
          (e) => {
            if (e instanceof ConsumerStoppedException) return DONE;
            throw e;
          },
        );
      },
      return: (): Promise<IteratorResult<Message<V, K>>> =>
        Promise.resolve(DONE),
      [Symbol.asyncIterator]: () => it,
    };
    return it;
  }

  /** See `SimpleConsumer.readable`. */
  get readable(): ReadableStream<Message<V, K>> {
    this.#readable ??= new ReadableStream<Message<V, K>>({
      pull: async (controller) => {
        try {
          const m = await this.consume({ block: true });
          if (m === null) controller.close();
          else controller.enqueue(m);
        } catch (e) {
          if (e instanceof ConsumerStoppedException) controller.close();
          else controller.error(e);
        }
      },
    }, { highWaterMark: 0 });
    return this.#readable;
  }

  /** Runs `task` in the background; `stop()` waits for it. */
  track(task: Promise<unknown>): void {
    const t = task.finally(() => this.#tasks.delete(t));
    this.#tasks.add(t);
  }

  #scheduleAutocommit(): void {
    if (!this.#o.autoCommitEnable || !this.offsets.hasGroup) return;
    if (this.#autocommitTimer !== undefined) return;
    this.#autocommitTimer = setTimeout(() => {
      this.#autocommitTimer = undefined;
      if (this.#state !== RUNNING) return;
      const signal = this.#abort.signal;
      const task = this.offsets.commit(undefined, signal).catch((e) => {
        if (!signal.aborted) {
          this.fail(
            e instanceof Error ? e : new KafkaError(errorText(e), { cause: e }),
          );
        }
      }).finally(() => {
        this.#tasks.delete(task);
        if (this.#state === RUNNING) this.#scheduleAutocommit();
      });
      this.#tasks.add(task);
    }, this.#o.autoCommitIntervalMs);
  }
}
