/**
 * One TCP (or TLS) connection to one Kafka broker: length-prefixed framing
 * with a maximum frame size, correlation ids, many requests in flight
 * matched by id, requests that expect no response (Produce with acks=0),
 * per-request timeouts and `AbortSignal`s, writes coalesced per tick, API
 * version negotiation (ApiVersions or a fixed per-release table) and SASL.
 *
 * The parts: `_framing.ts` (request frames, response headers),
 * `_request_queue.ts` (the pipeline: queue, coalesced writes, the read loop,
 * matching responses, timeouts and aborts) and `_handshake.ts` (ApiVersions,
 * legacy broker detection, SASL). This file is the public surface.
 *
 * @module
 */

import { VERSION } from "../version.ts";
import { KafkaError, SocketDisconnectedError } from "../errors/mod.ts";
import type { ApiMessage, Reader } from "../protocol/mod.ts";
import type { ApiVersionTable, BrokerVersion } from "./api_versions.ts";
import type { SaslConfig, SaslSession } from "./sasl.ts";
import { resolveSslConfig, type SslConfig } from "./ssl_config.ts";
import {
  openTransport,
  type Transport,
  type TransportFactory,
} from "./transport.ts";
import { validateOptions } from "../util/options.ts";
import { BROKER_CONNECTION_RULES } from "./_options.ts";
import {
  encodeRawFrame,
  encodeRequestFrame,
  responseDecoder,
} from "./_framing.ts";
import { RequestQueue } from "./_request_queue.ts";
import { type HandshakeLink, LegacyFallback, negotiate } from "./_handshake.ts";

/** Name and version this client reports in ApiVersions v3+ (KIP-511). */
export const CLIENT_SOFTWARE_NAME = "denokafka";
/** Version reported in ApiVersions v3+ (the package version, from `src/version.ts`). */
export const CLIENT_SOFTWARE_VERSION: string = VERSION;

/** Default largest response frame accepted: 100 MiB. */
export const DEFAULT_MAX_FRAME_BYTES = 100 * 1024 * 1024;

/** Options of {@linkcode BrokerConnection.connect}. */
export interface BrokerConnectionOptions {
  /** Broker host name or IP address (IPv6 with or without brackets). */
  host: string;
  /** Broker port. */
  port: number;
  /** Broker id, for error messages. */
  nodeId?: number;
  /** Client id sent in every request header (default `"denokafka"`). */
  clientId?: string;
  /** Per-request timeout in ms (pykafka's `socket_timeout_ms`, default 30000). */
  socketTimeoutMs?: number;
  /** Timeout of TCP connect + TLS handshake in ms (default 10000). */
  connectTimeoutMs?: number;
  /**
   * How long the ApiVersions answer may take (default `socketTimeoutMs`).
   * A broker that does not answer in time fails the connection with
   * `RequestTimeoutError`: it is never taken for a pre-0.10 broker.
   */
  apiVersionsTimeoutMs?: number;
  /**
   * With `brokerVersion: "auto"`: take a broker that closes the connection
   * on ApiVersions for Kafka 0.8.x (default `true`). `ManagedConnection`
   * turns it off once the broker answered ApiVersions: a modern broker
   * that drops a later connection is not taken for 0.8.
   */
  legacyDetection?: boolean;
  /**
   * Largest response frame accepted, in bytes (default 100 MiB). A larger
   * length prefix closes the connection with `FrameTooLargeError` before
   * anything is allocated. Keep it above the largest Fetch response asked
   * for (`fetch max bytes` plus some overhead).
   */
  maxFrameBytes?: number;
  /** TLS settings; set to speak TLS. */
  sslConfig?: SslConfig;
  /** SASL credentials; set to authenticate. */
  sasl?: SaslConfig;
  /**
   * Which protocol versions to speak.
   *
   * - `"auto"` (default): ask the broker with ApiVersions (v3+ first, then
   *   the version the broker names) and use, per API, the highest version
   *   both sides support. A plain-TCP broker without SASL that closes the
   *   connection on ApiVersions is taken for 0.8.x (its table is used; the
   *   probe connection is then replaced). One that does not answer within
   *   `apiVersionsTimeoutMs` is a `RequestTimeoutError`, not a downgrade:
   *   Kafka 0.9.x, which never answers ApiVersions, needs `"0.9.0"`.
   * - A release such as `"0.8.2"`, `"0.9.0"`, `"0.10.1"`, `"2.8.0"`: below
   *   0.10.0 that release's fixed table is used and ApiVersions is never
   *   sent; from 0.10.0 on, ApiVersions is still asked and the release's
   *   table caps what the broker advertises.
   *
   * pykafka's default is `"0.9.0"`: it must be told the broker version, and
   * a wrong guess either misparses responses (0.8.2 brokers answered with
   * the 0.9 table) or stays on 2015-era versions forever (no record batches,
   * no headers, and Kafka 4.x refuses the old versions outright, KIP-896).
   * `"auto"` asks the broker instead, so one client speaks to 0.8.2 and
   * 0.10 through 4.x without configuration; set a release to cap versions
   * or for 0.9.x brokers.
   */
  brokerVersion?: BrokerVersion;
  /** Local `host:port` to bind (port 0 or omitted: any). */
  sourceAddress?: string;
  /** Disable Nagle's algorithm (default true). */
  noDelay?: boolean;
  /**
   * Opens the socket instead of the runtime's default (Deno's sockets on
   * Deno, `node:net` / `node:tls` on Node and Bun): a tunnel or proxy, a
   * custom socket, fault injection in tests. See `TransportFactory`.
   */
  transport?: TransportFactory;
  /** Aborts connecting (and authentication). */
  signal?: AbortSignal;
}

/** Options of one request. */
export interface SendOptions {
  /** API version to use (default: the highest both sides support). */
  version?: number;
  /** Timeout in ms (default `socketTimeoutMs`); 0 or Infinity: none. */
  timeoutMs?: number;
  /** Cancels waiting; the request is not sent if it has not been yet. */
  signal?: AbortSignal;
  /**
   * `false` for requests the broker does not answer (Produce with
   * acks=0): the promise resolves with `undefined` once the request is
   * written.
   */
  expectResponse?: boolean;
  /**
   * The expected size of the encoded request in bytes, when the caller
   * knows it (e.g. a Produce request's record bytes): the request buffer is
   * allocated at that size once instead of growing. Only a hint: it grows if
   * the request is larger.
   */
  sizeHint?: number;
}

/** Counters of one connection. */
export interface ConnectionStats {
  /** Requests written. */
  requests: number;
  /** Responses received. */
  responses: number;
  /** Socket write calls (requests are coalesced, so fewer than requests). */
  writes: number;
  /** Bytes written, length prefixes included. */
  bytesWritten: number;
  /** Bytes read. */
  bytesRead: number;
}

/**
 * A connection to one broker. Open it with
 * {@linkcode BrokerConnection.connect}, which connects, negotiates API
 * versions and authenticates; then {@linkcode BrokerConnection.send}
 * requests. Requests are pipelined: many may be in flight at once, and
 * responses are matched by correlation id. Frames queued in the same tick
 * are written with one socket write.
 *
 * A dropped connection rejects every request in flight at once with
 * `SocketDisconnectedError` (or with the `ProtocolError` /
 * `FrameTooLargeError` that made the client drop it); the connection does
 * not reconnect by itself (see `ManagedConnection`). `close()` and
 * `await using` release the socket and every timer.
 *
 * @example
 * ```ts
 * import { BrokerConnection } from "@denokafka/kafka/network";
 * import { Metadata } from "@denokafka/kafka/protocol";
 *
 * // the first broker of KAFKA_HOSTS
 * const [host, port] = (Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092").split(",")[0].split(":");
 * await using conn = await BrokerConnection.connect({ host, port: Number(port) });
 * const md = await conn.send(Metadata, { topics: null, allowAutoTopicCreation: false });
 * console.log(md.brokers);
 * ```
 */
export class BrokerConnection implements AsyncDisposable {
  /** Broker host. */
  readonly host: string;
  /** Broker port. */
  readonly port: number;
  /** Broker id, if known. */
  readonly nodeId: number | undefined;
  /** Client id sent in request headers. */
  readonly clientId: string;
  readonly #transport: Transport;
  readonly #socketTimeoutMs: number;
  readonly #maxFrameBytes: number;
  readonly #where: string;
  readonly #detection: string;
  readonly #queue: RequestQueue;
  #versions: ApiVersionTable | undefined;
  #sasl: SaslSession | undefined;
  #authenticatedAt = 0;
  #nextId = 1;

  private constructor(
    transport: Transport,
    o: BrokerConnectionOptions,
    detection: string,
  ) {
    this.host = o.host;
    this.port = o.port;
    this.nodeId = o.nodeId;
    this.clientId = o.clientId ?? "denokafka";
    this.#transport = transport;
    this.#socketTimeoutMs = o.socketTimeoutMs ?? 30_000;
    this.#maxFrameBytes = o.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    const h = this.host.includes(":") ? `[${this.host}]` : this.host;
    this.#where = `${
      this.nodeId !== undefined ? `broker ${this.nodeId} ` : ""
    }${h}:${this.port}`;
    this.#detection = detection;
    this.#queue = new RequestQueue(
      transport,
      this.#where,
      this.#maxFrameBytes,
      detection,
    );
  }

  /**
   * Connects, negotiates versions and authenticates. Errors:
   * `SocketDisconnectedError` (refused, reset, TLS failure; its subclass
   * `ConnectionTimeoutError` after `connectTimeoutMs`),
   * `SaslAuthenticationError`, `UnsupportedFeatureError`, `AbortError`.
   * The options are checked before any I/O: an unknown option or a wrong
   * type rejects with a `TypeError`, a value out of range with a
   * `RangeError`, naming `BrokerConnection`, the option and the value.
   *
   * @example
   * ```ts
   * // a SASL_SSL listener, its CA certificate and a SCRAM user
   * const [host, port] = (Deno.env.get("KAFKA_SASL_TLS_HOSTS") ?? "127.0.0.1:9094").split(",")[0].split(":");
   * const cafile = Deno.env.get("KAFKA_TLS_CAFILE") ?? "ca.pem";
   * const username = Deno.env.get("KAFKA_USERNAME") ?? "alice";
   * const password = Deno.env.get("KAFKA_PASSWORD") ?? "alice-secret";
   * const conn = await BrokerConnection.connect({
   *   host, port: Number(port),
   *   sslConfig: { cafile },
   *   sasl: { mechanism: "SCRAM-SHA-256", username, password },
   * });
   * await conn.close();
   * ```
   */
  static async connect(
    options: BrokerConnectionOptions,
  ): Promise<BrokerConnection> {
    const checked = validateOptions(
      "BrokerConnection",
      options,
      BROKER_CONNECTION_RULES,
    );
    const host = options.host.startsWith("[") && options.host.endsWith("]")
      ? options.host.slice(1, -1)
      : options.host;
    const o: BrokerConnectionOptions = { ...options, host };
    let brokerVersion = o.brokerVersion ?? "auto";
    const localAddress = checked.sourceAddress;
    const tls = o.sslConfig ? await resolveSslConfig(o.sslConfig) : undefined;
    let detection = "";
    for (;;) {
      const transport = await openTransport({
        host,
        port: o.port,
        tls,
        localAddress,
        noDelay: o.noDelay,
        connectTimeoutMs: o.connectTimeoutMs ?? 10_000,
        signal: o.signal,
      }, o.transport);
      const conn = new BrokerConnection(transport, o, detection);
      try {
        const n = await negotiate(conn.#link(), brokerVersion, {
          sasl: o.sasl,
          tls: o.sslConfig !== undefined,
          apiVersionsTimeoutMs: o.apiVersionsTimeoutMs ??
            conn.#socketTimeoutMs,
          legacyDetection: o.legacyDetection ?? true,
          signal: o.signal,
          clientSoftware: {
            name: CLIENT_SOFTWARE_NAME,
            version: CLIENT_SOFTWARE_VERSION,
          },
        }, detection);
        conn.#versions = n.versions;
        conn.#sasl = n.sasl;
        conn.#authenticatedAt = n.authenticatedAt;
        return conn;
      } catch (e) {
        await conn.close();
        if (e instanceof LegacyFallback && brokerVersion === "auto") {
          brokerVersion = e.release;
          detection = e.why;
          continue;
        }
        throw e;
      }
    }
  }

  /** What the handshake (`_handshake.ts`) sends through. */
  #link(): HandshakeLink {
    const queue = this.#queue;
    return {
      where: this.#where,
      get peerClosed() {
        return queue.peerClosed;
      },
      send: (api, request, options) => this.send(api, request, options),
      request: (api, request, version, options, decodeBody) =>
        this.#request(api, request, version, options, decodeBody),
      rawRequest: (token, signal) => this.#rawRequest(token, signal),
    };
  }

  /** The negotiated API versions (set once `connect` resolved). */
  get versions(): ApiVersionTable {
    if (!this.#versions) {
      throw new KafkaError("the connection has not negotiated versions yet");
    }
    return this.#versions;
  }

  /** How `brokerVersion: "auto"` decided on a legacy table, if it did. */
  get versionDetection(): string | undefined {
    return this.#detection || undefined;
  }

  /** The SASL session, when the connection authenticated. */
  get saslSession(): SaslSession | undefined {
    return this.#sasl;
  }

  /**
   * When the broker expects re-authentication (ms since the epoch, KIP-368),
   * or `undefined` when it does not.
   */
  get sessionExpiresAt(): number | undefined {
    const life = this.#sasl?.sessionLifetimeMs ?? 0;
    return life > 0 ? this.#authenticatedAt + life : undefined;
  }

  /** True once the connection is closed or dropped. */
  get closed(): boolean {
    return this.#queue.closed;
  }

  /** Why the connection closed, once it has. */
  get closeReason(): KafkaError | undefined {
    return this.#queue.closeReason;
  }

  /** Requests waiting for a response (or to be written). */
  get inFlight(): number {
    return this.#queue.inFlight;
  }

  /** Counters of this connection. */
  get stats(): Readonly<ConnectionStats> {
    return this.#queue.stats;
  }

  /** Local `host:port` of the socket, when known. */
  get localAddress(): string | undefined {
    return this.#transport.localAddress;
  }

  /** Resolves with the reason when the connection closes or drops. */
  whenClosed(): Promise<KafkaError> {
    return this.#queue.whenClosed();
  }

  /**
   * Sends a request and resolves with the decoded response. The version is
   * the highest both sides support unless `options.version` says otherwise.
   * Rejects with `RequestTimeoutError` after `timeoutMs` (default
   * `socketTimeoutMs`), `AbortError` when the signal aborts,
   * `SocketDisconnectedError` when the connection drops,
   * `UnsupportedVersionError` when no version fits, `ProtocolError` when
   * the response cannot be decoded.
   *
   * @example
   * ```ts
   * import { encodeRecords, KafkaClient } from "@denokafka/kafka";
   * import { Metadata, Produce } from "@denokafka/kafka/protocol";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `orders-${crypto.randomUUID()}`;
   * await client.createTopics([{ name }]);
   * try {
   *   const { leader } = (await client.topics.get(name)).partitions.get(0)!;
   *   await using conn = await BrokerConnection.connect({ host: leader.host, port: leader.port });
   *   const md = await conn.send(Metadata, { topics: null, allowAutoTopicCreation: false }, { timeoutMs: 5000 });
   *   const records = encodeRecords({ records: [{ key: null, value: new TextEncoder().encode("v") }] });
   *   const acksZeroRequest = { acks: 0, timeoutMs: 5000, topicData: [{ name, partitionData: [{ index: 0, records }] }] };
   *   await conn.send(Produce, acksZeroRequest, { version: 9, expectResponse: false }); // resolves when written
   * } finally {
   *   await client.deleteTopics([name]);
   * }
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
   * await using conn = await BrokerConnection.connect({ host, port: Number(port) });
   * const res = await conn.send(ApiVersions, {}, { timeoutMs: 5000 });
   * console.log(res.apiKeys.length);
   * ```
   */
  send<Req, Res>(
    api: ApiMessage<Req, Res>,
    request: Req,
    options?: SendOptions,
  ): Promise<Res>;
  send<Req, Res>(
    api: ApiMessage<Req, Res>,
    request: Req,
    options?: SendOptions,
  ): Promise<Res | undefined> {
    let version: number;
    try {
      if (options?.version !== undefined) {
        version = options.version;
        if (version < api.minVersion || version > api.maxVersion) {
          throw new KafkaError(
            `${api.name} v${version} is outside the client's v${api.minVersion}-${api.maxVersion}`,
          );
        }
      } else {
        version = this.versions.pick(api);
      }
    } catch (e) {
      return Promise.reject(e);
    }
    return this.#request(
      api,
      request,
      version,
      options ?? {},
      (r) => api.decodeResponse(r, version),
    ) as Promise<Res | undefined>;
  }

  /**
   * Sends a request at `version` and resolves with what `decodeBody` makes
   * of the response body. `decodeBody` runs synchronously while the frame
   * is read; with {@linkcode BrokerConnection.reuseFrameBuffers} the frame
   * is valid only during that call, so it must copy out what it keeps.
   * Rejects like {@linkcode BrokerConnection.send}.
   *
   * @example
   * ```ts
   * import { Metadata } from "@denokafka/kafka/protocol";
   *
   * const [host, port] = (Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092").split(",")[0].split(":");
   * await using conn = await BrokerConnection.connect({ host, port: Number(port) });
   * const version = conn.versions.pick(Metadata);
   * const brokers = await conn.sendDecoded(
   *   Metadata,
   *   { topics: null, allowAutoTopicCreation: false },
   *   version,
   *   { timeoutMs: 5000 },
   *   (r) => Metadata.decodeResponse(r, version).brokers.length,
   * );
   * console.log(brokers);
   * ```
   */
  sendDecoded<Req, Res, T>(
    api: ApiMessage<Req, Res>,
    request: Req,
    version: number,
    options: SendOptions,
    decodeBody: (r: Reader, frame: Uint8Array) => T,
  ): Promise<T> {
    return this.#request(api, request, version, options, decodeBody);
  }

  /**
   * From now on, response frames are read into buffers the connection
   * reuses: a frame is valid only while its decoder runs, so every request
   * on this connection must copy out what it keeps
   * ({@linkcode BrokerConnection.sendDecoded}). It saves allocating (and
   * zero-filling) a buffer per large response; the fetch worker
   * (`useWorkers`) uses it.
   *
   * @example
   * ```ts
   * const [host, port] = (Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092").split(",")[0].split(":");
   * await using conn = await BrokerConnection.connect({ host, port: Number(port) });
   * conn.reuseFrameBuffers();
   * ```
   */
  reuseFrameBuffers(): void {
    this.#queue.reuseBuffers();
  }

  #request<Req, Res, T>(
    api: ApiMessage<Req, Res>,
    request: Req,
    version: number,
    options: SendOptions,
    decodeBody: (r: Reader, frame: Uint8Array) => T,
  ): Promise<T> {
    const queue = this.#queue;
    if (queue.closed) return Promise.reject(queue.closeReason);
    const id = this.#nextId;
    this.#nextId = this.#nextId === 0x7fffffff ? 1 : this.#nextId + 1;
    let frame: Uint8Array;
    try {
      frame = encodeRequestFrame(
        api,
        version,
        request,
        id,
        this.clientId,
        options.sizeHint,
        this.#maxFrameBytes,
      );
    } catch (e) {
      return Promise.reject(e);
    }
    const decode = (options.expectResponse ?? true)
      ? responseDecoder(api, version, decodeBody)
      : null;
    return queue.enqueue(
      id,
      frame,
      decode,
      false,
      `${api.name} v${version}`,
      options.timeoutMs ?? this.#socketTimeoutMs,
      options.signal,
    ) as Promise<T>;
  }

  /** Legacy SASL: a raw token out, the next raw frame back. */
  #rawRequest(
    token: Uint8Array,
    signal: AbortSignal | undefined,
  ): Promise<Uint8Array> {
    const queue = this.#queue;
    if (queue.closed) return Promise.reject(queue.closeReason);
    return queue.enqueue(
      -1,
      encodeRawFrame(token),
      (f) => f.slice(),
      true,
      "SASL token",
      this.#socketTimeoutMs,
      signal,
    ) as Promise<Uint8Array>;
  }

  /**
   * Closes the connection: requests still waiting are rejected with
   * `SocketDisconnectedError`; resolves once the socket and the read loop
   * are released.
   */
  close(): Promise<void> {
    return this.#queue.close(
      new SocketDisconnectedError(
        `the connection to ${this.#where} was closed by the client`,
      ),
    );
  }

  /** Same as {@linkcode BrokerConnection.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
