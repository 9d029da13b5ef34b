// The ledger of the fault tests and the soak run (issue 17): every record
// produced carries a sequence number (its value) and goes to partition
// `seq % partitions`; the ledger counts what was produced, acknowledged,
// reported failed and consumed, and finds duplicates, records consumed out
// of order, acknowledged records never consumed, records reported twice or
// never, and records consumed that were never produced.
import type { Topic } from "../../src/client/mod.ts";
import type { Producer, ProducerOptions } from "../../src/producer/mod.ts";
import type { SimpleConsumer } from "../../src/consumer/mod.ts";
import type { SimpleConsumerOptions } from "../../src/consumer/mod.ts";
import { waitFor } from "../wait_for.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const fmt = (n: number) => n.toLocaleString("en-US");

/** The ledger's figures. */
export interface LedgerCounts {
  /** Records handed to the producer. */
  produced: number;
  /** Records whose delivery report said delivered. */
  acked: number;
  /** Records whose delivery report carried an error. */
  failed: number;
  /** Distinct records consumed. */
  consumed: number;
  /** Consumptions of a record already consumed. */
  duplicates: number;
  /** Acknowledged records not consumed (yet). */
  missing: number;
  /** Records consumed after a later record of the same partition. */
  reordered: number;
  /** Records consumed that were never produced. */
  phantoms: number;
  /** Records with more than one delivery report. */
  reportedTwice: number;
  /** Consumed records that were reported failed (written, acknowledgement lost). */
  failedButWritten: number;
}

/** See the module comment. */
export class Ledger {
  readonly partitions: number;
  /** Report per sequence number: 0 none, 1 acked, 2 failed. */
  #report = new Uint8Array(1024);
  /** Consumptions per sequence number (saturating at 255). */
  #consumed = new Uint8Array(1024);
  #lastSeq: number[];
  produced = 0;
  acked = 0;
  failed = 0;
  consumed = 0;
  duplicates = 0;
  reordered = 0;
  phantoms = 0;
  reportedTwice = 0;
  /** Failure reasons by error name. */
  readonly failures = new Map<string, number>();

  constructor(partitions: number) {
    this.partitions = partitions;
    this.#lastSeq = Array.from({ length: partitions }, () => -1);
  }

  #grow(seq: number): void {
    if (seq < this.#report.length) return;
    let n = this.#report.length;
    while (n <= seq) n *= 2;
    const r = new Uint8Array(n);
    r.set(this.#report);
    this.#report = r;
    const c = new Uint8Array(n);
    c.set(this.#consumed);
    this.#consumed = c;
  }

  /** The next record to produce: its sequence number, value and partition. */
  next(): { seq: number; value: Uint8Array; partition: number } {
    const seq = this.produced++;
    this.#grow(seq);
    return {
      seq,
      value: enc.encode(String(seq)),
      partition: seq % this.partitions,
    };
  }

  /** A delivery report. */
  report(value: Uint8Array | null, error: Error | null): void {
    const seq = Number(dec.decode(value ?? new Uint8Array()));
    if (!Number.isInteger(seq) || seq < 0 || seq >= this.produced) {
      this.phantoms++;
      return;
    }
    if (this.#report[seq] !== 0) {
      this.reportedTwice++;
      return;
    }
    if (error) {
      this.#report[seq] = 2;
      this.failed++;
      const why = error.cause instanceof Error
        ? `${error.name} (${error.cause.name})`
        : error.name;
      this.failures.set(why, (this.failures.get(why) ?? 0) + 1);
    } else {
      this.#report[seq] = 1;
      this.acked++;
    }
  }

  /** A consumed record. */
  consume(value: Uint8Array | null, partition: number): void {
    const seq = Number(dec.decode(value ?? new Uint8Array()));
    if (
      !Number.isInteger(seq) || seq < 0 || seq >= this.produced ||
      seq % this.partitions !== partition
    ) {
      this.phantoms++;
      return;
    }
    const c = this.#consumed[seq];
    if (c > 0) this.duplicates++;
    else this.consumed++;
    if (c < 255) this.#consumed[seq] = c + 1;
    if (seq < this.#lastSeq[partition]) this.reordered++;
    else this.#lastSeq[partition] = seq;
  }

  /** Whether every acknowledged record was consumed. */
  get caughtUp(): boolean {
    return this.missing === 0;
  }

  /** Acknowledged records not consumed. */
  get missing(): number {
    let n = 0;
    for (let s = 0; s < this.produced; s++) {
      if (this.#report[s] === 1 && this.#consumed[s] === 0) n++;
    }
    return n;
  }

  /** Records with no delivery report. */
  get unreported(): number {
    return this.produced - this.acked - this.failed;
  }

  /** The first few acknowledged records not consumed. */
  missingSample(max = 10): number[] {
    const out: number[] = [];
    for (let s = 0; s < this.produced && out.length < max; s++) {
      if (this.#report[s] === 1 && this.#consumed[s] === 0) out.push(s);
    }
    return out;
  }

  /** The figures. */
  counts(): LedgerCounts {
    let failedButWritten = 0;
    for (let s = 0; s < this.produced; s++) {
      if (this.#report[s] === 2 && this.#consumed[s] > 0) failedButWritten++;
    }
    return {
      produced: this.produced,
      acked: this.acked,
      failed: this.failed,
      consumed: this.consumed,
      duplicates: this.duplicates,
      missing: this.missing,
      reordered: this.reordered,
      phantoms: this.phantoms,
      reportedTwice: this.reportedTwice,
      failedButWritten,
    };
  }

  /** One line: produced, acked, failed, consumed, duplicates, missing (and the rest when not 0). */
  line(): string {
    const c = this.counts();
    const extra = [
      c.reordered && `reordered ${fmt(c.reordered)}`,
      c.phantoms && `phantoms ${fmt(c.phantoms)}`,
      c.reportedTwice && `reported twice ${fmt(c.reportedTwice)}`,
      c.failedButWritten &&
      `failed but written ${fmt(c.failedButWritten)}`,
    ].filter(Boolean);
    return `produced ${fmt(c.produced)}, acked ${fmt(c.acked)}, failed ${
      fmt(c.failed)
    }, consumed ${fmt(c.consumed)}, duplicates ${fmt(c.duplicates)}, missing ${
      fmt(c.missing)
    }${extra.length ? `, ${extra.join(", ")}` : ""}${
      this.failures.size
        ? ` (failures: ${
          [...this.failures].map(([k, v]) => `${k} ${v}`).join(", ")
        })`
        : ""
    }`;
  }
}

/** A producer feeding a ledger: its delivery reports are read as they come. */
export class LedgerProducer {
  readonly producer: Producer;
  readonly #reports: Promise<void>;

  constructor(
    topic: Topic,
    readonly ledger: Ledger,
    options: ProducerOptions = {},
  ) {
    const producer = topic.getProducer({
      requiredAcks: -1,
      idempotent: true,
      ...options,
      deliveryReports: true,
    }) as Producer;
    this.producer = producer;
    this.#reports = (async () => {
      for await (const [m, err] of producer.deliveryReports()) {
        ledger.report(m.value as Uint8Array | null, err);
      }
    })();
  }

  /** Produces `n` more records. */
  async produce(n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      const r = this.ledger.next();
      await this.producer.produce(r.value, { partition: r.partition });
    }
  }

  /** Flushes, stops the producer and waits for the last report. */
  async stop(): Promise<void> {
    await this.producer.flush();
    await this.producer.stop();
    await this.#reports;
  }
}

/** A SimpleConsumer feeding a ledger until stopped. */
export class LedgerConsumer {
  readonly consumer: SimpleConsumer;
  #stopped = false;
  readonly done: Promise<void>;
  /** The error that ended the loop, if one did. */
  error: unknown;

  constructor(
    topic: Topic,
    readonly ledger: Ledger,
    options: SimpleConsumerOptions = {},
  ) {
    const consumer = topic.getSimpleConsumer(options);
    this.consumer = consumer;
    this.done = (async () => {
      try {
        while (!this.#stopped) {
          const m = await consumer.consume({ timeoutMs: 500 });
          if (m) ledger.consume(m.value as Uint8Array | null, m.partitionId);
        }
      } catch (e) {
        if (!this.#stopped) this.error = e;
      }
    })();
  }

  /** Waits (bounded) until every acknowledged record was consumed. */
  async catchUp(timeoutMs: number): Promise<boolean> {
    await waitFor(
      () => this.ledger.caughtUp || this.error !== undefined,
      { timeoutMs, intervalMs: 250, what: "the consumer to catch up" },
    ).catch(() => {});
    return this.ledger.caughtUp;
  }

  /** Stops the loop and the consumer. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.consumer.stop();
    await this.done;
  }
}
