// Transport over node:net / node:tls, used where Deno's own socket API falls
// short (checked on Deno 2.9):
// - a local source address must be bound: Deno.connect has no such option,
//   but Deno's node:net honours `localAddress` / `localPort`;
// - TLS with a client certificate: only Deno.connectTls takes one, and its
//   TlsConn cannot set TCP_NODELAY (Deno.startTls, which follows a
//   Deno.connect + setNoDelay, takes no client certificate). node:tls sets
//   TCP_NODELAY (strace shows the setsockopt).
import net from "node:net";
import tls from "node:tls";
import {
  SocketDisconnectedError,
  SslAuthenticationError,
} from "../errors/mod.ts";
import { isTlsRejection } from "./_tls_failure.ts";
import type { Transport, TransportOptions } from "./transport.ts";

/**
 * The runtime's default root certificates, or none where reading them needs
 * a permission the program lacks (Deno's `node:tls` asks for `--allow-sys`
 * to list them): the configured CA is then the only one trusted, which is
 * what a private-CA cluster needs.
 */
function systemRoots(): readonly string[] {
  try {
    return [...(tls.rootCertificates ?? [])];
  } catch {
    return [];
  }
}

/** Pause the socket when this many received bytes wait to be read. */
const HIGH_WATER = 1 << 20;

class NodeTransport implements Transport {
  readonly #socket: net.Socket;
  readonly #chunks: Uint8Array[] = [];
  #queued = 0;
  #ended = false;
  #error: unknown = null;
  #wake: (() => void) | null = null;
  #closed: Promise<void>;
  readonly noDelay: boolean;

  constructor(socket: net.Socket, noDelay: boolean) {
    this.#socket = socket;
    this.noDelay = noDelay;
    this.#closed = new Promise<void>((resolve) => {
      if (socket.destroyed && socket.closed) resolve();
      else socket.once("close", () => resolve());
    });
    socket.on("data", (chunk: Uint8Array) => {
      this.#chunks.push(chunk);
      this.#queued += chunk.length;
      if (this.#queued >= HIGH_WATER) socket.pause();
      this.#notify();
    });
    socket.on("end", () => {
      this.#ended = true;
      this.#notify();
    });
    socket.on("error", (e: unknown) => {
      this.#error ??= e;
      this.#notify();
    });
    socket.on("close", () => {
      this.#ended = true;
      this.#notify();
    });
  }

  get localAddress(): string | undefined {
    const s = this.#socket;
    return s.localAddress ? `${s.localAddress}:${s.localPort}` : undefined;
  }

  #notify(): void {
    const w = this.#wake;
    this.#wake = null;
    w?.();
  }

  async read(into: Uint8Array): Promise<number | null> {
    while (this.#chunks.length === 0) {
      if (this.#error) throw this.#error;
      if (this.#ended) return null;
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
    let n = 0;
    while (n < into.length && this.#chunks.length > 0) {
      const c = this.#chunks[0];
      const take = Math.min(c.length, into.length - n);
      into.set(take === c.length ? c : c.subarray(0, take), n);
      n += take;
      if (take === c.length) this.#chunks.shift();
      else this.#chunks[0] = c.subarray(take);
    }
    this.#queued -= n;
    if (this.#queued < HIGH_WATER && this.#socket.isPaused()) {
      this.#socket.resume();
    }
    return n;
  }

  write(data: Uint8Array): Promise<void> {
    if (this.#error) return Promise.reject(this.#error);
    return new Promise<void>((resolve, reject) => {
      this.#socket.write(data, (err?: Error | null) => {
        if (err) reject(err);
        else resolve();
      });
    });
  }

  close(): Promise<void> {
    this.#socket.destroy();
    return this.#closed;
  }
}

/** Opens a node:net (or node:tls) socket, bound to `o.localAddress` if set. */
export function openNodeTransport(
  o: TransportOptions,
  signal: AbortSignal,
): Promise<Transport> {
  const noDelay = o.noDelay ?? true;
  const local = o.localAddress;
  const base = {
    host: o.host,
    port: o.port,
    ...(local ? { localAddress: local.host } : {}),
    ...(local?.port ? { localPort: local.port } : {}),
  };
  return new Promise<Transport>((resolve, reject) => {
    let socket: net.Socket;
    const t = o.tls;
    if (t) {
      const isIp = net.isIP(t.serverName ?? o.host) !== 0;
      socket = tls.connect({
        ...base,
        // Like Deno's caCerts: added to the default roots, not replacing them.
        ca: t.caCerts.length > 0 ? [...systemRoots(), ...t.caCerts] : undefined,
        cert: t.cert,
        key: t.key,
        rejectUnauthorized: true,
        // node:tls refuses an IP address as SNI name; it still checks the
        // certificate against `host` (IP SANs included).
        ...(isIp ? {} : { servername: t.serverName ?? o.host }),
        ...(t.checkHostname ? {} : { checkServerIdentity: () => undefined }),
      });
    } else {
      socket = net.connect(base);
    }
    const transport = new NodeTransport(socket, noDelay);
    const where = `${o.host}:${o.port}${
      local ? ` from ${local.host}:${local.port}` : ""
    }`;
    let settled = false;
    const fail = (e: unknown) => {
      if (settled) return;
      settled = true;
      cleanup();
      const message = `${
        t ? "TLS connection" : "connection"
      } to ${where} failed: ${e instanceof Error ? e.message : String(e)}`;
      transport.close().then(() =>
        reject(
          t && isTlsRejection(e)
            ? new SslAuthenticationError(message, { cause: e })
            : new SocketDisconnectedError(message, { cause: e }),
        )
      );
    };
    const onAbort = () => fail(new Error("aborted"));
    const onError = (e: unknown) => fail(e);
    const onClose = () => fail(new Error("socket closed while connecting"));
    const cleanup = () => {
      signal.removeEventListener("abort", onAbort);
      socket.off("error", onError);
      socket.off("close", onClose);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    socket.once("error", onError);
    socket.once("close", onClose);
    socket.once(t ? "secureConnect" : "connect", () => {
      if (settled) return;
      settled = true;
      cleanup();
      if (noDelay) socket.setNoDelay(true);
      resolve(transport);
    });
  });
}
