/**
 * The byte pipe under a broker connection: a TCP socket, optionally TLS.
 *
 * - On Deno: Deno's socket API (`Deno.connect` + `setNoDelay(true)` +
 *   `Deno.startTls`). Two cases go through `node:net` / `node:tls` instead,
 *   because Deno's own API cannot do them (Deno 2.9): a local source
 *   address to bind (`Deno.connect` has no such option; Deno's `node:net`
 *   honours `localAddress`), and a client certificate (mutual TLS) with
 *   TCP_NODELAY (`Deno.startTls` takes no client certificate and the
 *   `TlsConn` of `Deno.connectTls` has no `setNoDelay`, so Nagle's algorithm
 *   would delay small requests sent while others are unacknowledged; with
 *   `noDelay: false`, mutual TLS uses `Deno.connectTls`).
 * - On Node (20 and later) and Bun, where there is no `Deno` namespace:
 *   `node:net` / `node:tls` for everything.
 * - Anywhere: a {@linkcode TransportFactory} of the caller's (the
 *   `transport` option of `KafkaClient` and `BrokerConnection`), for custom
 *   sockets, tunnels and proxies, or fault injection in tests.
 *
 * A connection Deno's permissions refuse (`--allow-net` without the
 * broker's address) fails with `NetworkPermissionError`, which is not
 * retriable and names the `--allow-net` entry to add.
 *
 * @module
 */

import {
  AbortError,
  ConnectionTimeoutError,
  KafkaError,
  NetworkPermissionError,
  SocketDisconnectedError,
  SslAuthenticationError,
} from "../errors/mod.ts";
import { isTlsRejection } from "./_tls_failure.ts";
import { errorText } from "../util/error_text.ts";
import { validateOptions } from "../util/options.ts";
import { TRANSPORT_RULES } from "./_options.ts";
import { deno, isPermissionError, permissionFlag } from "../util/runtime.ts";

/**
 * A connected byte stream. `read` fills `into` with up to `into.length`
 * bytes and returns the count, or `null` at end of stream; `write` writes
 * every byte; `close` releases the socket and resolves once it is released.
 *
 * @example
 * ```ts
 * import { openTransport } from "@denokafka/kafka/network";
 *
 * // the first broker of KAFKA_HOSTS
 * const [host, port] = (Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092").split(",")[0].split(":");
 * const t = await openTransport({ host, port: Number(port), connectTimeoutMs: 5000 });
 * try {
 *   // An ApiVersions v0 request: size, api key 18, version 0, correlation id 1, no client id
 *   await t.write(new Uint8Array([0, 0, 0, 10, 0, 18, 0, 0, 0, 0, 0, 1, 255, 255]));
 *   const buf = new Uint8Array(4);
 *   console.log(await t.read(buf)); // the size of the answer arrives first
 * } finally {
 *   await t.close();
 * }
 * ```
 */
export interface Transport {
  /** Reads into `into`; the count, or `null` at end of stream. */
  read(into: Uint8Array): Promise<number | null>;
  /** Writes all of `data`. */
  write(data: Uint8Array): Promise<void>;
  /** Closes the socket (idempotent). */
  close(): Promise<void>;
  /** Local `host:port` of the socket, when known. */
  readonly localAddress: string | undefined;
  /** Whether TCP_NODELAY could be set (Deno's TLS connections with client certificates cannot). */
  readonly noDelay: boolean;
}

/** TLS settings after files were read and keys decrypted (see `resolveTls`). */
export interface ResolvedTls {
  /** PEM CA certificates to trust in addition to the system roots. */
  caCerts: string[];
  /** PEM client certificate chain (mutual TLS). */
  cert?: string;
  /** PEM unencrypted client private key (mutual TLS). */
  key?: string;
  /** Verify that the certificate names the host we dialled (default true). */
  checkHostname: boolean;
  /** Name to verify instead of `host` (TLS server name). */
  serverName?: string;
}

/** Where and how to connect. */
export interface TransportOptions {
  /** Host name or IP address (IPv6 without brackets). */
  host: string;
  /** TCP port. */
  port: number;
  /** Speak TLS with these settings. */
  tls?: ResolvedTls;
  /** Bind the local end to this address (and port, 0 = any). */
  localAddress?: { host: string; port: number };
  /** Disable Nagle's algorithm (default true). */
  noDelay?: boolean;
  /** Give up connecting (TCP + TLS handshake) after this many ms. */
  connectTimeoutMs: number;
  /**
   * Abort connecting. A {@linkcode TransportFactory} receives a signal that
   * also aborts when `connectTimeoutMs` passes.
   */
  signal?: AbortSignal;
}

/**
 * Opens a {@linkcode Transport} to `options.host`:`options.port` (with TLS
 * when `options.tls` is set). Give one as the `transport` option of
 * `KafkaClient` (or `BrokerConnection.connect`) to replace how sockets are
 * opened: a tunnel or proxy, a socket of another runtime, or a wrapper that
 * injects faults in tests. The library still applies the connect timeout
 * and the caller's signal around it (`options.signal` aborts on either),
 * and reports a factory's error as a `SocketDisconnectedError` naming the
 * address (a `KafkaError` it throws is passed on as it is, so a factory can
 * throw a non-retriable one to stop retries). {@linkcode openTransport} is
 * the default, so a factory can wrap it.
 *
 * @example Reach every broker through local port forwards, keeping TLS host name checks
 * ```ts
 * import { KafkaClient } from "@denokafka/kafka";
 * import { openTransport, type TransportFactory } from "@denokafka/kafka/network";
 *
 * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
 * // "kafka1:9092" is a name only this factory knows: it leads to the first real broker
 * const [host, port] = hosts.split(",")[0].split(":");
 * const forwards = new Map([["kafka1:9092", { host, port: Number(port) }]]);
 * const transport: TransportFactory = (o) =>
 *   openTransport({
 *     ...o,
 *     ...forwards.get(`${o.host}:${o.port}`),
 *     tls: o.tls && { ...o.tls, serverName: o.tls.serverName ?? o.host },
 *   });
 * await using client = await KafkaClient.connect({ hosts: "kafka1:9092", transport });
 * console.log(client.brokers.size);
 * ```
 */
export type TransportFactory = (
  options: TransportOptions,
) => Promise<Transport>;

function describe(o: TransportOptions): string {
  const h = o.host.includes(":") ? `[${o.host}]` : o.host;
  return `${h}:${o.port}`;
}

/**
 * Runs `attempt` under the connect timeout and the caller's signal. On
 * timeout or abort, `cancel` is called (it must make `attempt` settle) and
 * the matching error is thrown; a resource `attempt` produces late is closed.
 */
async function guarded<T>(
  o: TransportOptions,
  attempt: (signal: AbortSignal) => Promise<T>,
  dispose: (value: T) => void,
): Promise<T> {
  const where = describe(o);
  if (o.signal?.aborted) throw AbortError.fromSignal(o.signal);
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, o.connectTimeoutMs);
  const onAbort = () => controller.abort();
  o.signal?.addEventListener("abort", onAbort, { once: true });
  const p = attempt(controller.signal);
  try {
    return await new Promise<T>((resolve, reject) => {
      const fail = () => {
        // Whatever the attempt still produces is released.
        p.then(dispose, () => {});
        reject(
          timedOut
            ? new ConnectionTimeoutError(
              `connecting to ${where} timed out after ${o.connectTimeoutMs} ms`,
            )
            : AbortError.fromSignal(
              o.signal!,
              `connecting to ${where} aborted`,
            ),
        );
      };
      if (controller.signal.aborted) return fail();
      controller.signal.addEventListener("abort", fail, { once: true });
      p.then(resolve, (e) => {
        if (controller.signal.aborted) return fail();
        const cause = e instanceof SocketDisconnectedError &&
            isPermissionError(e.cause)
          ? e.cause
          : e;
        reject(
          isPermissionError(cause)
            ? new NetworkPermissionError(o.host, o.port, {
              cause,
              flag: permissionFlag(cause),
            })
            : e instanceof KafkaError
            ? e
            : new SocketDisconnectedError(
              `cannot connect to ${where}: ${errorText(e)}`,
              { cause: e },
            ),
        );
      });
    });
  } finally {
    clearTimeout(timer);
    o.signal?.removeEventListener("abort", onAbort);
  }
}

/**
 * Opens a transport: TCP, then TLS when `tls` is set, with Deno's sockets on
 * Deno and `node:net` / `node:tls` on Node and Bun (see the module
 * documentation), or through `factory` when one is given. Errors: a
 * `SocketDisconnectedError` naming the address (refused, unreachable, TLS
 * handshake or certificate failure), `ConnectionTimeoutError` (a
 * `SocketDisconnectedError`) after `connectTimeoutMs`,
 * `NetworkPermissionError` when Deno's `--allow-net` does not cover the
 * address, or `AbortError`; a bad option rejects with a `TypeError` /
 * `RangeError` naming it.
 *
 * @example
 * ```ts
 * import { openTransport } from "@denokafka/kafka/network";
 *
 * // a TLS listener and the CA that signed its certificate
 * const [host, port] = (Deno.env.get("KAFKA_TLS_HOSTS") ?? "127.0.0.1:9093").split(",")[0].split(":");
 * const caCerts = [await Deno.readTextFile(Deno.env.get("KAFKA_TLS_CAFILE") ?? "ca.pem")];
 * const t = await openTransport({
 *   host, port: Number(port), connectTimeoutMs: 10_000,
 *   tls: { caCerts, checkHostname: true },
 * });
 * await t.close();
 * ```
 *
 * @param o where and how to connect
 * @param factory opens the socket instead of the runtime's default
 * @returns the connected transport
 */
export function openTransport(
  o: TransportOptions,
  factory?: TransportFactory,
): Promise<Transport> {
  try {
    validateOptions("openTransport", o, TRANSPORT_RULES);
  } catch (e) {
    return Promise.reject(e);
  }
  const close = (t: Transport) => {
    t.close().catch(() => {});
  };
  if (factory) {
    return guarded(o, (signal) => factory({ ...o, signal }), close);
  }
  // node:net / node:tls where there is no Deno, and on Deno where its API
  // cannot: binding a local address, and TCP_NODELAY with a client
  // certificate (Deno.connectTls' TlsConn has no setNoDelay; Deno.startTls
  // takes no client certificate).
  const clientCert = o.tls?.cert !== undefined || o.tls?.key !== undefined;
  if (!deno || o.localAddress || (clientCert && (o.noDelay ?? true))) {
    return import("./_node_transport.ts").then((m) =>
      guarded(o, (signal) => m.openNodeTransport(o, signal), close)
    );
  }
  return guarded(o, (signal) => openDeno(deno!, o, signal), close);
}

async function openDeno(
  d: typeof Deno,
  o: TransportOptions,
  signal: AbortSignal,
): Promise<Transport> {
  const noDelay = o.noDelay ?? true;
  const tls = o.tls;
  if (tls?.cert !== undefined || tls?.key !== undefined) {
    // Client certificate: only connectTls takes one. No setNoDelay on TlsConn.
    if (tls.cert === undefined || tls.key === undefined) {
      throw new TypeError("mutual TLS needs both a certificate and a key");
    }
    const conn = await d.connectTls({
      hostname: o.host,
      port: o.port,
      caCerts: tls.caCerts,
      cert: tls.cert,
      key: tls.key,
      unsafelyDisableHostnameVerification: !tls.checkHostname,
    });
    return await handshake(conn, o, signal, false);
  }
  const tcp = await d.connect({
    hostname: o.host,
    port: o.port,
    transport: "tcp",
    signal,
  });
  let ok = false;
  try {
    if (noDelay) tcp.setNoDelay(true);
    if (!tls) {
      ok = true;
      return new DenoTransport(tcp, noDelay);
    }
    const conn = await d.startTls(tcp, {
      hostname: tls.serverName ?? o.host,
      caCerts: tls.caCerts,
      unsafelyDisableHostnameVerification: !tls.checkHostname,
    });
    ok = true;
    return await handshake(conn, o, signal, noDelay);
  } finally {
    if (!ok) {
      try {
        tcp.close();
      } catch { /* already closed */ }
    }
  }
}

/** Completes the TLS handshake now, so certificate errors surface at connect. */
async function handshake(
  conn: Deno.TlsConn,
  o: TransportOptions,
  signal: AbortSignal,
  noDelay: boolean,
): Promise<Transport> {
  const close = () => {
    try {
      conn.close();
    } catch { /* already closed */ }
  };
  signal.addEventListener("abort", close, { once: true });
  try {
    await conn.handshake();
  } catch (e) {
    close();
    if (signal.aborted) throw e;
    const message = `TLS handshake with ${describe(o)} failed: ${errorText(e)}`;
    throw isTlsRejection(e)
      ? new SslAuthenticationError(message, { cause: e })
      : new SocketDisconnectedError(message, { cause: e });
  } finally {
    signal.removeEventListener("abort", close);
  }
  return new DenoTransport(conn, noDelay);
}

/** {@linkcode Transport} over a `Deno.Conn`. */
class DenoTransport implements Transport {
  readonly #conn: Deno.Conn;
  #closed = false;
  readonly localAddress: string | undefined;
  readonly noDelay: boolean;

  constructor(conn: Deno.Conn, noDelay: boolean) {
    this.#conn = conn;
    this.noDelay = noDelay;
    const a = conn.localAddr as Deno.NetAddr;
    this.localAddress = a && "hostname" in a
      ? `${a.hostname}:${a.port}`
      : undefined;
  }

  read(into: Uint8Array): Promise<number | null> {
    return this.#conn.read(into);
  }

  async write(data: Uint8Array): Promise<void> {
    let off = 0;
    while (off < data.length) {
      off += await this.#conn.write(off === 0 ? data : data.subarray(off));
    }
  }

  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      try {
        this.#conn.close();
      } catch { /* already closed */ }
    }
    return Promise.resolve();
  }
}
