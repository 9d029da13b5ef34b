/**
 * A per-broker connection that reconnects: after a drop, the next use opens
 * a new connection, retrying with exponential backoff and jitter, a bounded
 * number of times.
 *
 * @module
 */

import { AbortError, SocketDisconnectedError } from "../errors/mod.ts";
import type { ApiMessage } from "../protocol/mod.ts";
import {
  type BackoffOptions,
  isRetriable,
  RetrySchedule,
  sleep,
} from "../util/retry.ts";
import {
  BrokerConnection,
  type BrokerConnectionOptions,
  type SendOptions,
} from "./connection.ts";
import { validateOptions } from "../util/options.ts";
import { MANAGED_CONNECTION_RULES } from "./_options.ts";

/** Options of {@linkcode ManagedConnection}. */
export interface ManagedConnectionOptions
  extends Omit<BrokerConnectionOptions, "signal"> {
  /** Connection attempts per use before giving up (default 3, pykafka's). */
  connectAttempts?: number;
  /** Backoff between attempts (default 100 ms doubling to 10 s, ±20 % jitter). */
  reconnectBackoff?: BackoffOptions;
  /**
   * Re-authenticate this long before the SASL session expires (KIP-368),
   * by reconnecting when the connection is idle (default 5000 ms).
   */
  reauthMarginMs?: number;
}

/**
 * One broker, one logical connection: connects lazily, reconnects on the
 * next use after a drop (exponential backoff with jitter, at most
 * `connectAttempts` tries per use, and later uses wait out the backoff of
 * earlier failures). Requests in flight when a connection drops are
 * rejected with `SocketDisconnectedError`; they are not resent (retrying is
 * the caller's decision).
 *
 * When `brokerVersion: "auto"` detected a pre-0.10 broker, reconnects use
 * that release's table directly instead of probing again; once the broker
 * answered ApiVersions, a later connection it closes on ApiVersions is an
 * error (a restart, a proxy refusing), never a downgrade to 0.8.
 *
 * @example
 * ```ts
 * import { ManagedConnection } from "@denokafka/kafka/network";
 * import { Metadata } from "@denokafka/kafka/protocol";
 *
 * // the first broker of KAFKA_HOSTS
 * const [host, port] = (Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092").split(",")[0].split(":");
 * await using broker = new ManagedConnection({ host, port: Number(port) });
 * const md = await broker.send(Metadata, { topics: null, allowAutoTopicCreation: false });
 * console.log(md.brokers.length);
 * ```
 */
export class ManagedConnection implements AsyncDisposable {
  readonly #options: ManagedConnectionOptions;
  readonly #connectionOptions: Omit<BrokerConnectionOptions, "signal">;
  #conn: BrokerConnection | undefined;
  #connecting: Promise<BrokerConnection> | undefined;
  /** The backoff, carried over between uses until a connection succeeds. */
  #backoff: RetrySchedule;
  #nextAttemptAt = 0;
  #closed = false;
  #brokerVersion: string | undefined;
  /** The broker answered ApiVersions once: never take it for 0.8 later. */
  #answeredApiVersions = false;
  readonly #closeController = new AbortController();
  #connects = 0;

  /**
   * Creates the wrapper; no I/O until the first use. A bad option throws a
   * `TypeError` (unknown option, wrong type) or `RangeError` (out of
   * range) naming it.
   */
  constructor(options: ManagedConnectionOptions) {
    validateOptions("ManagedConnection", options, MANAGED_CONNECTION_RULES);
    this.#options = options;
    // What each BrokerConnection gets: the options it knows, no more.
    const {
      connectAttempts: _a,
      reconnectBackoff: _b,
      reauthMarginMs: _c,
      ...rest
    } = options;
    this.#connectionOptions = rest;
    this.#brokerVersion = options.brokerVersion;
    this.#backoff = this.#newBackoff();
  }

  /** Delays only: `connectAttempts` bounds the attempts of each use. */
  #newBackoff(): RetrySchedule {
    return new RetrySchedule({
      attempts: Number.POSITIVE_INFINITY,
      backoff: this.#options.reconnectBackoff,
      retriable: () => true,
    });
  }

  /** Connections opened so far (the first one included). */
  get connects(): number {
    return this.#connects;
  }

  /** The current connection, if one is open. */
  get current(): BrokerConnection | undefined {
    return this.#conn && !this.#conn.closed ? this.#conn : undefined;
  }

  /**
   * The live connection, connecting (or reconnecting) first if needed.
   * Rejects with the last connection error after `connectAttempts` tries,
   * or `AbortError`.
   */
  connection(signal?: AbortSignal): Promise<BrokerConnection> {
    if (this.#closed) {
      return Promise.reject(
        new SocketDisconnectedError(
          `the connection to ${this.#options.host}:${this.#options.port} was closed by the client`,
        ),
      );
    }
    const c = this.#conn;
    if (c && !c.closed) {
      const expires = c.sessionExpiresAt;
      const margin = this.#options.reauthMarginMs ?? 5000;
      if (
        expires === undefined || Date.now() < expires - margin ||
        c.inFlight > 0
      ) {
        return Promise.resolve(c);
      }
      // SASL session about to expire and the connection is idle: renew.
      this.#conn = undefined;
      c.close();
    }
    if (!this.#connecting) {
      this.#connecting = this.#connect().finally(() => {
        this.#connecting = undefined;
      });
      // Every caller gets the outcome through its own promise; one that gave
      // up already (an aborted signal) must not leave this one unobserved.
      this.#connecting.catch(() => {});
    }
    if (!signal) return this.#connecting;
    return raceSignal(this.#connecting, signal);
  }

  async #connect(): Promise<BrokerConnection> {
    const attempts = Math.max(1, this.#options.connectAttempts ?? 3);
    const signal = this.#closeController.signal;
    let last: unknown;
    for (let i = 0; i < attempts; i++) {
      const wait = this.#nextAttemptAt - Date.now();
      if (wait > 0) {
        try {
          await sleep(wait, signal);
        } catch (e) {
          // Only close() aborts this wait: reported below as the retriable
          // "closed by the client", never as the raw abort reason.
          last ??= e;
          break;
        }
      }
      try {
        const conn = await BrokerConnection.connect({
          ...this.#connectionOptions,
          brokerVersion: this.#brokerVersion,
          ...(this.#answeredApiVersions ? { legacyDetection: false } : {}),
          signal,
        });
        if (conn.versionDetection) this.#brokerVersion = conn.versions.release;
        if (conn.versions.source === "broker") this.#answeredApiVersions = true;
        if (this.#closed) {
          await conn.close();
          break;
        }
        this.#backoff = this.#newBackoff();
        this.#nextAttemptAt = 0;
        this.#conn = conn;
        this.#connects++;
        return conn;
      } catch (e) {
        last = e;
        // Only connection problems are worth retrying.
        if (!isRetriable(e) || this.#closed) break;
        this.#nextAttemptAt = Date.now() + this.#backoff.next(e)!;
      }
    }
    if (this.#closed) {
      throw new SocketDisconnectedError(
        `the connection to ${this.#options.host}:${this.#options.port} was closed by the client`,
        { cause: last },
      );
    }
    throw last;
  }

  /**
   * Sends a request on the live connection (see `BrokerConnection.send`),
   * connecting first if needed.
   *
   * @example
   * ```ts
   * import { ApiVersions } from "@denokafka/kafka/protocol";
   *
   * // the first broker of KAFKA_HOSTS
   * const [host, port] = (Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092").split(",")[0].split(":");
   * await using broker = new ManagedConnection({ host, port: Number(port) });
   * const res = await broker.send(ApiVersions, {}, { timeoutMs: 5000 });
   * ```
   */
  send<Req, Res>(
    api: ApiMessage<Req, Res>,
    request: Req,
    options: SendOptions & { expectResponse: false },
  ): Promise<undefined>;
  /**
   * Sends a request and resolves with the decoded response (see the
   * overload above for the errors).
   *
   * @example
   * ```ts
   * import { ApiVersions } from "@denokafka/kafka/protocol";
   *
   * // the first broker of KAFKA_HOSTS
   * const [host, port] = (Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092").split(",")[0].split(":");
   * await using conn = new ManagedConnection({ host, port: Number(port) });
   * const res = await conn.send(ApiVersions, {}, { timeoutMs: 5000 });
   * ```
   */
  send<Req, Res>(
    api: ApiMessage<Req, Res>,
    request: Req,
    options?: SendOptions,
  ): Promise<Res>;
  async send<Req, Res>(
    api: ApiMessage<Req, Res>,
    request: Req,
    options?: SendOptions,
  ): Promise<Res | undefined> {
    const conn = await this.connection(options?.signal);
    return conn.send(api, request, options);
  }

  /** Closes the current connection and stops reconnecting. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#closeController.abort(
      new AbortError("the managed connection was closed"),
    );
    const connecting = this.#connecting;
    if (connecting) await connecting.catch(() => {});
    await this.#conn?.close();
    this.#conn = undefined;
  }

  /** Same as {@linkcode ManagedConnection.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

function raceSignal<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(AbortError.fromSignal(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(AbortError.fromSignal(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(resolve, reject).finally(() =>
      signal.removeEventListener("abort", onAbort)
    );
  });
}
