/**
 * One TCP (or TLS) connection to one Kafka broker: length-prefixed framing
 * with a maximum frame size, correlation ids, many requests in flight
 * matched by id, requests that expect no response (Produce with acks=0),
 * per-request timeouts and `AbortSignal`s, writes coalesced per tick, API
 * version negotiation (ApiVersions or a fixed per-release table) and SASL.
 *
 * @module
 */

import { VERSION } from "../version.ts";
import {
  AbortError,
  errorForCode,
  FrameTooLargeError,
  KafkaError,
  ProtocolError,
  RequestTimeoutError,
  SocketDisconnectedError,
  SslAuthenticationError,
  UnsupportedFeatureError,
} from "../errors/mod.ts";
import { errorText } from "../util/error_text.ts";
import { isTlsRejection } from "./_tls_failure.ts";
import {
  type ApiMessage,
  ApiVersions,
  type ApiVersionsResponse,
  decodeResponseHeader,
  encodeRequestHeader,
  Reader,
  requestHeaderVersion,
  responseHeaderVersion,
  SaslAuthenticate,
  SaslHandshake,
  Writer,
} from "../protocol/mod.ts";
import {
  ApiVersionTable,
  type BrokerVersion,
  isLegacyRelease,
} from "./api_versions.ts";
import {
  authenticateSasl,
  type SaslChannel,
  type SaslConfig,
  type SaslSession,
} from "./sasl.ts";
import { resolveSslConfig, type SslConfig } from "./ssl_config.ts";
import {
  openTransport,
  type Transport,
  type TransportFactory,
} from "./transport.ts";
import { validateOptions } from "../util/options.ts";
import { BROKER_CONNECTION_RULES } from "./_options.ts";

/** Name and version this client reports in ApiVersions v3+ (KIP-511). */
export const CLIENT_SOFTWARE_NAME = "denokafka";
/** Version reported in ApiVersions v3+ (the package version, from `src/version.ts`). */
export const CLIENT_SOFTWARE_VERSION: string = VERSION;

/** Default largest response frame accepted: 100 MiB. */
export const DEFAULT_MAX_FRAME_BYTES = 100 * 1024 * 1024;

const READ_CHUNK = 64 * 1024;

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
   * How long `brokerVersion: "auto"` waits for the ApiVersions answer before
   * deciding the broker is 0.9.x, which never answers (default 10000).
   */
  apiVersionsTimeoutMs?: number;
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
   *   connection on ApiVersions is taken for 0.8.x (its table is used); one
   *   that does not answer within `apiVersionsTimeoutMs` for 0.9.x, which
   *   never answers it. The probe connection is then replaced.
   * - A release such as `"0.8.2"`, `"0.9.0"`, `"0.10.1"`, `"2.8.0"`: below
   *   0.10.0 that release's fixed table is used and ApiVersions is never
   *   sent; from 0.10.0 on, ApiVersions is still asked and the release's
   *   table caps what the broker advertises.
   *
   * pykafka's default is `"0.9.0"`: it must be told the broker version, and
   * a wrong guess either misparses responses (0.8.2 brokers answered with
   * the 0.9 table) or stays on 2015-era versions forever (no record batches,
   * no headers, and Kafka 4.x refuses the old versions outright, KIP-896).
   * `"auto"` asks the broker instead, so one client speaks to 0.8.2 through
   * 4.x without configuration; set a release only to cap versions or to
   * skip the probe for pre-0.10 brokers.
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

const QUEUED = 0;
const SENT = 1;
const DONE = 2;
const CANCELLED = 3;
const ABANDONED = 4;

interface Entry {
  id: number;
  frame: Uint8Array;
  /** Decodes the response frame; null when no response is expected. */
  decode: ((frame: Uint8Array) => unknown) | null;
  raw: boolean;
  state: number;
  label: string;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

const EMPTY = new Uint8Array(0);

/** Thrown inside `connect` to restart with a legacy release table. */
class LegacyFallback extends Error {
  constructor(readonly release: string, readonly why: string) {
    super(why);
  }
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
 * ```ts ignore
 * import { BrokerConnection } from "./connection.ts";
 * import { Metadata } from "../protocol/mod.ts";
 * await using conn = await BrokerConnection.connect({ host: "127.0.0.1", port: 9092 });
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
  #versions: ApiVersionTable | undefined;
  #sasl: SaslSession | undefined;
  #authenticatedAt = 0;
  #nextId = 1;
  readonly #pending = new Map<number, Entry>();
  readonly #rawPending: Entry[] = [];
  #queue: Entry[] = [];
  #flushScheduled = false;
  #writeActive = false;
  #flushDone: Promise<void> = Promise.resolve();
  /** The batch being written (entries expecting no response settle after it). */
  #inWrite: Entry[] = [];
  #closed = false;
  #closeReason: KafkaError | undefined;
  readonly #closedWaiters: Array<(e: KafkaError) => void> = [];
  readonly #readLoop: Promise<void>;
  #detection = "";
  /** The peer ended the stream cleanly between frames (EOF, no error). */
  #peerClosed = false;
  readonly #stats: ConnectionStats = {
    requests: 0,
    responses: 0,
    writes: 0,
    bytesWritten: 0,
    bytesRead: 0,
  };

  private constructor(
    transport: Transport,
    o: BrokerConnectionOptions,
  ) {
    this.host = o.host;
    this.port = o.port;
    this.nodeId = o.nodeId;
    this.clientId = o.clientId ?? "denokafka";
    this.#transport = transport;
    this.#socketTimeoutMs = o.socketTimeoutMs ?? 30_000;
    this.#maxFrameBytes = o.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.#readLoop = this.#runReadLoop();
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
   * ```ts ignore
   * import { BrokerConnection } from "./connection.ts";
   * const conn = await BrokerConnection.connect({
   *   host: "broker1", port: 9094,
   *   sslConfig: { cafile: "ca.pem" },
   *   sasl: { mechanism: "SCRAM-SHA-256", username: "alice", password: "secret" },
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
      const conn = new BrokerConnection(transport, o);
      conn.#detection = detection;
      try {
        await conn.#initialize(brokerVersion, o);
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

  /** Where this connection goes, for messages. */
  get #where(): string {
    const h = this.host.includes(":") ? `[${this.host}]` : this.host;
    return `${
      this.nodeId !== undefined ? `broker ${this.nodeId} ` : ""
    }${h}:${this.port}`;
  }

  async #initialize(
    brokerVersion: BrokerVersion,
    o: BrokerConnectionOptions,
  ): Promise<void> {
    if (brokerVersion !== "auto" && isLegacyRelease(brokerVersion)) {
      this.#versions = ApiVersionTable.forRelease(brokerVersion);
      if (o.sasl) {
        throw new UnsupportedFeatureError(
          `SASL ${o.sasl.mechanism} needs Kafka 0.10.0 or later (SCRAM 0.10.2); brokerVersion is ${brokerVersion}${
            this.#detection ? ` (${this.#detection})` : ""
          }`,
        );
      }
      return;
    }
    const auto = brokerVersion === "auto";
    let apiKeys;
    try {
      apiKeys = await this.#apiVersions(
        auto ? (o.apiVersionsTimeoutMs ?? 10_000) : this.#socketTimeoutMs,
        o.signal,
      );
    } catch (e) {
      // Only a plain connection without SASL can be a pre-0.10 broker
      // talking: 0.8.x has no TLS, and neither 0.8 nor 0.9 has SASL PLAIN or
      // SCRAM. With TLS or SASL the failure is reported as it is.
      if (auto && !o.sasl && e instanceof RequestTimeoutError) {
        throw new LegacyFallback(
          "0.9.0",
          "brokerVersion auto-detected as 0.9.0: the broker did not answer ApiVersions",
        );
      }
      if (auto && !o.sasl && !o.sslConfig && this.#peerClosed) {
        throw new LegacyFallback(
          "0.8.2",
          "brokerVersion auto-detected as 0.8.2: the broker closed the connection on ApiVersions",
        );
      }
      throw e;
    }
    this.#versions = ApiVersionTable.fromBroker(apiKeys, {
      release: auto ? undefined : brokerVersion,
    });
    if (o.sasl) {
      this.#sasl = await authenticateSasl(this.#saslChannel(o.signal), o.sasl);
      this.#authenticatedAt = Date.now();
    }
  }

  /** ApiVersions, highest version first; on UNSUPPORTED_VERSION, the broker's max. */
  async #apiVersions(
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<ApiVersionsResponse["apiKeys"]> {
    let version = ApiVersions.maxVersion;
    for (let attempt = 0; attempt < 4; attempt++) {
      const res = await this.#request(
        ApiVersions,
        {
          clientSoftwareName: CLIENT_SOFTWARE_NAME,
          clientSoftwareVersion: CLIENT_SOFTWARE_VERSION,
        },
        version,
        { timeoutMs, signal },
        // An unsupported ApiVersions version is answered in v0 format.
        (r: Reader, frame: Uint8Array) => {
          // Response header v0 (4 bytes), then ErrorCode in every version.
          const errorCode = frame.length >= 6
            ? ((frame[4] << 24) >> 16) | frame[5]
            : 0;
          return ApiVersions.decodeResponse(r, errorCode === 35 ? 0 : version);
        },
      ) as ApiVersionsResponse;
      if (res.errorCode === 35) {
        const own = res.apiKeys.find((k) => k.apiKey === ApiVersions.apiKey);
        const next = own ? Math.min(own.maxVersion, version - 1) : 0;
        if (version === 0) break;
        version = Math.max(0, next);
        continue;
      }
      if (res.errorCode !== 0) {
        throw errorForCode(
          res.errorCode,
          `ApiVersions v${version} to ${this.#where} failed`,
        );
      }
      return res.apiKeys;
    }
    throw new ProtocolError(
      `${this.#where} refused every ApiVersions version`,
    );
  }

  #saslChannel(signal: AbortSignal | undefined): SaslChannel {
    const v = this.#versions!;
    return {
      handshakeMaxVersion: Math.min(
        v.range(SaslHandshake.apiKey)?.max ?? -1,
        SaslHandshake.maxVersion,
      ),
      authenticateMaxVersion: Math.min(
        v.range(SaslAuthenticate.apiKey)?.max ?? -1,
        SaslAuthenticate.maxVersion,
      ),
      handshake: async (version, mechanism) => {
        const r = await this.send(SaslHandshake, { mechanism }, {
          version,
          signal,
        });
        return { errorCode: r.errorCode, mechanisms: r.mechanisms };
      },
      authenticate: async (version, authBytes) => {
        const r = await this.send(SaslAuthenticate, { authBytes }, {
          version,
          signal,
        });
        return {
          errorCode: r.errorCode,
          errorMessage: r.errorMessage,
          authBytes: r.authBytes,
          sessionLifetimeMs: r.sessionLifetimeMs ?? 0,
        };
      },
      rawToken: (token) => this.#rawRequest(token, signal),
      where: this.#where,
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
    return this.#closed;
  }

  /** Why the connection closed, once it has. */
  get closeReason(): KafkaError | undefined {
    return this.#closeReason;
  }

  /** Requests waiting for a response (or to be written). */
  get inFlight(): number {
    let n = 0;
    for (const e of this.#pending.values()) if (e.state !== ABANDONED) n++;
    return n + this.#rawPending.length;
  }

  /** Counters of this connection. */
  get stats(): Readonly<ConnectionStats> {
    return { ...this.#stats };
  }

  /** Local `host:port` of the socket, when known. */
  get localAddress(): string | undefined {
    return this.#transport.localAddress;
  }

  /** Resolves with the reason when the connection closes or drops. */
  whenClosed(): Promise<KafkaError> {
    if (this.#closeReason) return Promise.resolve(this.#closeReason);
    return new Promise((resolve) => this.#closedWaiters.push(resolve));
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
   * ```ts ignore
   * const md = await conn.send(Metadata, { topics: null, allowAutoTopicCreation: false }, { timeoutMs: 5000 });
   * await conn.send(Produce, acksZeroRequest, { expectResponse: false }); // resolves when written
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
   * ```ts ignore
   * const res = await conn.send(ApiVersions, {}, { timeoutMs: 5000 });
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

  #request<Req, Res>(
    api: ApiMessage<Req, Res>,
    request: Req,
    version: number,
    options: SendOptions,
    decodeBody: (r: Reader, frame: Uint8Array) => unknown,
  ): Promise<unknown> {
    if (this.#closed) return Promise.reject(this.#closeReason);
    const id = this.#nextId;
    this.#nextId = this.#nextId === 0x7fffffff ? 1 : this.#nextId + 1;
    let frame: Uint8Array;
    try {
      const hint = options.sizeHint;
      const w = new Writer(
        hint !== undefined && hint > 0
          ? Math.min(hint + 256, this.#maxFrameBytes)
          : 256,
      );
      w.int32(0); // length, patched below
      encodeRequestHeader(w, {
        apiKey: api.apiKey,
        apiVersion: version,
        correlationId: id,
        clientId: this.clientId,
      }, requestHeaderVersion(api, version));
      api.encodeRequest(w, version, request);
      w.setInt32(0, w.length - 4);
      frame = w.finish();
    } catch (e) {
      return Promise.reject(e);
    }
    const expect = options.expectResponse ?? true;
    const rhv = responseHeaderVersion(api, version);
    const decode = expect
      ? (f: Uint8Array) => {
        const r = new Reader(f);
        decodeResponseHeader(r, rhv);
        return decodeBody(r, f);
      }
      : null;
    return this.#enqueue(
      id,
      frame,
      decode,
      false,
      `${api.name} v${version}`,
      options.timeoutMs ?? this.#socketTimeoutMs,
      options.signal,
    );
  }

  /** Legacy SASL: a raw token out, the next raw frame back. */
  #rawRequest(
    token: Uint8Array,
    signal: AbortSignal | undefined,
  ): Promise<Uint8Array> {
    if (this.#closed) return Promise.reject(this.#closeReason);
    const frame = new Uint8Array(4 + token.length);
    new DataView(frame.buffer).setInt32(0, token.length);
    frame.set(token, 4);
    return this.#enqueue(
      -1,
      frame,
      (f) => f.slice(),
      true,
      "SASL token",
      this.#socketTimeoutMs,
      signal,
    ) as Promise<Uint8Array>;
  }

  #enqueue(
    id: number,
    frame: Uint8Array,
    decode: ((f: Uint8Array) => unknown) | null,
    raw: boolean,
    label: string,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    return new Promise<unknown>((resolve, reject) => {
      if (signal?.aborted) {
        reject(AbortError.fromSignal(signal, `${label} aborted`));
        return;
      }
      const e: Entry = {
        id,
        frame,
        decode,
        raw,
        state: QUEUED,
        label,
        resolve,
        reject,
        timer: undefined,
        signal,
        onAbort: undefined,
      };
      if (signal) {
        e.onAbort = () =>
          this.#cancel(e, AbortError.fromSignal(signal, `${label} aborted`));
        signal.addEventListener("abort", e.onAbort, { once: true });
      }
      if (timeoutMs > 0 && Number.isFinite(timeoutMs)) {
        e.timer = setTimeout(() => {
          e.timer = undefined;
          this.#cancel(
            e,
            new RequestTimeoutError(
              `${label} to ${this.#where}: no response after ${timeoutMs} ms`,
            ),
          );
        }, timeoutMs);
      }
      if (raw) this.#rawPending.push(e);
      else if (decode) this.#pending.set(id, e);
      this.#queue.push(e);
      this.#scheduleFlush();
    });
  }

  #settle(e: Entry, value: unknown, error?: unknown): void {
    if (e.timer !== undefined) {
      clearTimeout(e.timer);
      e.timer = undefined;
    }
    if (e.onAbort) {
      e.signal!.removeEventListener("abort", e.onAbort);
      e.onAbort = undefined;
    }
    if (error !== undefined) e.reject(error);
    else e.resolve(value);
  }

  /** Timeout or abort of one request. */
  #cancel(e: Entry, error: KafkaError): void {
    if (e.state === QUEUED) {
      e.state = CANCELLED; // never written
      e.frame = EMPTY;
      if (!e.raw) this.#pending.delete(e.id);
    } else if (e.state === SENT) {
      if (e.raw) {
        // A raw frame has no id to skip its answer by: the stream is lost.
        this.#settle(e, undefined, error);
        e.state = DONE;
        this.#fail(
          new SocketDisconnectedError(
            `${this.#where}: ${error.message} during SASL authentication`,
            { cause: error },
          ),
        );
        return;
      }
      e.state = e.decode ? ABANDONED : DONE; // its late answer is dropped
    } else return;
    this.#settle(e, undefined, error);
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled || this.#writeActive) return;
    this.#flushScheduled = true;
    queueMicrotask(() => {
      this.#flushScheduled = false;
      if (!this.#writeActive && !this.#closed) this.#flushDone = this.#flush();
    });
  }

  /** Writes everything queued, one socket write per batch. */
  async #flush(): Promise<void> {
    this.#writeActive = true;
    try {
      while (this.#queue.length > 0 && !this.#closed) {
        const batch = this.#queue;
        this.#queue = [];
        let total = 0;
        let live = 0;
        for (const e of batch) {
          if (e.state === QUEUED) {
            total += e.frame.length;
            live++;
          }
        }
        if (live === 0) continue;
        let out: Uint8Array;
        if (live === 1) {
          out = batch.find((e) => e.state === QUEUED)!.frame;
        } else {
          out = new Uint8Array(total);
          let off = 0;
          for (const e of batch) {
            if (e.state !== QUEUED) continue;
            out.set(e.frame, off);
            off += e.frame.length;
          }
        }
        for (const e of batch) {
          if (e.state === QUEUED) {
            e.state = SENT;
            e.frame = EMPTY;
          }
        }
        this.#stats.requests += live;
        this.#stats.writes++;
        this.#stats.bytesWritten += total;
        this.#inWrite = batch;
        await this.#transport.write(out);
        this.#inWrite = [];
        for (const e of batch) {
          if (e.state === SENT && e.decode === null) {
            e.state = DONE;
            this.#settle(e, undefined);
          }
        }
      }
    } catch (err) {
      this.#fail(
        new SocketDisconnectedError(
          `writing to ${this.#where} failed: ${errorText(err)}${this.#hint()}`,
          { cause: err },
        ),
      );
    } finally {
      this.#writeActive = false;
    }
  }

  #hint(): string {
    return this.#detection ? ` (${this.#detection})` : "";
  }

  /**
   * The read loop: reads into 64 KiB chunks and hands out complete frames as
   * views (no copy); a frame larger than half a chunk gets an exact-size
   * buffer that the socket reads straight into. Bytes handed out are never
   * overwritten: a new chunk is started instead.
   */
  async #runReadLoop(): Promise<void> {
    let buf = new Uint8Array(READ_CHUNK);
    let start = 0;
    let end = 0;
    const max = this.#maxFrameBytes;
    try {
      for (;;) {
        while (end - start >= 4) {
          const size = (buf[start] << 24) | (buf[start + 1] << 16) |
            (buf[start + 2] << 8) | buf[start + 3];
          if (size < 0 || size > max) {
            throw this.#frameTooLarge(size, buf.subarray(start, end));
          }
          const have = end - start - 4;
          if (have >= size) {
            const frame = buf.subarray(start + 4, start + 4 + size);
            start += 4 + size;
            this.#dispatch(frame);
            if (this.#closed) return;
            continue;
          }
          if (size > READ_CHUNK / 2) {
            // Big frame: exact buffer, read straight into it.
            const frame = new Uint8Array(size);
            frame.set(buf.subarray(start + 4, end));
            let got = have;
            while (got < size) {
              const n = await this.#transport.read(frame.subarray(got));
              if (n === null) {
                throw new SocketDisconnectedError(
                  `${this.#where} closed the connection mid-frame (${got} of ${size} bytes)`,
                );
              }
              got += n;
              this.#stats.bytesRead += n;
            }
            buf = new Uint8Array(READ_CHUNK);
            start = end = 0;
            this.#dispatch(frame);
            if (this.#closed) return;
            continue;
          }
          if (start + 4 + size > buf.length) {
            const next = new Uint8Array(READ_CHUNK);
            next.set(buf.subarray(start, end));
            end -= start;
            start = 0;
            buf = next;
          }
          break;
        }
        if (end === buf.length) {
          const next = new Uint8Array(READ_CHUNK);
          next.set(buf.subarray(start, end));
          end -= start;
          start = 0;
          buf = next;
        }
        let n: number | null;
        try {
          n = await this.#transport.read(buf.subarray(end));
        } catch (err) {
          if (this.#closed) return;
          const alert = /fatal alert/i.test(errorText(err))
            ? " (the broker ended the TLS session: does it trust the client certificate?)"
            : "";
          const message = `reading from ${this.#where} failed: ${
            errorText(err)
          }${alert}${this.#hint()}`;
          // A TLS 1.3 broker refuses a client certificate after the
          // handshake, on the first read: as final as a failed handshake.
          throw isTlsRejection(err)
            ? new SslAuthenticationError(message, { cause: err })
            : new SocketDisconnectedError(message, { cause: err });
        }
        if (this.#closed) return;
        if (n === null) {
          this.#peerClosed = end === start;
          throw new SocketDisconnectedError(
            end > start
              ? `${this.#where} closed the connection mid-frame (${
                end - start
              } bytes of a frame received)`
              : `${this.#where} closed the connection${this.#hint()}`,
          );
        }
        end += n;
        this.#stats.bytesRead += n;
      }
    } catch (err) {
      this.#fail(
        err instanceof KafkaError ? err : new SocketDisconnectedError(
          `connection to ${this.#where} failed: ${errorText(err)}`,
          { cause: err },
        ),
      );
    }
  }

  #frameTooLarge(size: number, head: Uint8Array): FrameTooLargeError {
    // A TLS record (alert 0x15 / handshake 0x16, version 3.x) read as a
    // length: the listener speaks TLS and sslConfig is not set.
    const tls = (head[0] === 0x15 || head[0] === 0x16) && head[1] === 0x03;
    return new FrameTooLargeError(size, this.#maxFrameBytes, {
      message: `${this.#where} sent a frame of ${size} bytes${
        size < 0
          ? " (negative length)"
          : `, above maxFrameBytes ${this.#maxFrameBytes}`
      }; the connection was closed${
        tls
          ? ". The bytes look like TLS: is this an SSL listener? Set sslConfig."
          : ""
      }`,
    });
  }

  #dispatch(frame: Uint8Array): void {
    this.#stats.responses++;
    const raw = this.#rawPending.shift();
    if (raw) {
      if (raw.state === SENT) {
        raw.state = DONE;
        this.#settle(raw, raw.decode!(frame));
      }
      return;
    }
    if (frame.length < 4) {
      throw new ProtocolError(
        `${this.#where} sent a ${frame.length}-byte frame without a correlation id`,
      );
    }
    const id = (frame[0] << 24) | (frame[1] << 16) | (frame[2] << 8) | frame[3];
    const e = this.#pending.get(id);
    if (!e || e.state === QUEUED) {
      throw new ProtocolError(
        `${this.#where} sent a response with unknown correlation id ${id}`,
      );
    }
    this.#pending.delete(id);
    if (e.state === ABANDONED) return;
    e.state = DONE;
    let value: unknown;
    try {
      value = e.decode!(frame);
    } catch (err) {
      this.#settle(
        e,
        undefined,
        err instanceof KafkaError ? err : new ProtocolError(
          `cannot decode the ${e.label} response from ${this.#where}: ${
            errorText(err)
          }`,
          { cause: err },
        ),
      );
      return;
    }
    this.#settle(e, value);
  }

  /** Drops the connection: every request still waiting is rejected with `reason`. */
  #fail(reason: KafkaError): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#closeReason = reason;
    this.#transport.close();
    for (const e of this.#pending.values()) {
      if (e.state === QUEUED || e.state === SENT) {
        e.state = DONE;
        this.#settle(e, undefined, reason);
      }
    }
    this.#pending.clear();
    for (const e of [...this.#rawPending, ...this.#queue, ...this.#inWrite]) {
      if (e.state === QUEUED || e.state === SENT) {
        e.state = DONE;
        this.#settle(e, undefined, reason);
      }
    }
    this.#rawPending.length = 0;
    this.#queue = [];
    this.#inWrite = [];
    for (const w of this.#closedWaiters.splice(0)) w(reason);
  }

  /**
   * Closes the connection: requests still waiting are rejected with
   * `SocketDisconnectedError`; resolves once the socket and the read loop
   * are released.
   */
  async close(): Promise<void> {
    this.#fail(
      new SocketDisconnectedError(
        `the connection to ${this.#where} was closed by the client`,
      ),
    );
    await this.#readLoop;
    await this.#flushDone;
    await this.#transport.close();
  }

  /** Same as {@linkcode BrokerConnection.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
