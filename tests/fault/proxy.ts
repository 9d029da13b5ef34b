/**
 * A fault-injecting TCP proxy for the tests (issue 17): one proxy per
 * broker, each forwarding to the real listener, with commands that break
 * the connections going through it:
 *
 * - `drop()`: close every open connection now (both ends);
 * - `delay(ms)`: hold every chunk this long before forwarding it;
 * - `stall()` / `resume()`: forward nothing (connections stay open) until
 *   resumed, so requests time out;
 * - `truncate()`: forward the first half of the next chunk from the broker,
 *   then close the connection (the client sees a frame cut short);
 * - `halfClose()`: end the broker-to-client direction of every open
 *   connection (the client reads end-of-stream while it can still write);
 * - `refuse(true)`: close new connections as soon as they are accepted.
 *
 * {@linkcode FaultCluster} runs the proxies of a whole cluster and makes
 * every connection of a client go through them, in one of two ways:
 *
 * - `"rewrite"` (plaintext listeners): the client bootstraps from the
 *   proxies, and the proxies rewrite the broker addresses in Metadata and
 *   FindCoordinator responses to the addresses of the proxies (starting a
 *   proxy for each broker they name), so the client never learns a real
 *   address;
 * - `"transport"` (any listener, TLS included): the client keeps the real
 *   addresses, and the cluster's `transport` (the client's `transport`
 *   option) opens each of its sockets to the proxy of that address.
 *
 * ```ts ignore
 * import { FaultCluster } from "../fault/proxy.ts";
 * await using faults = new FaultCluster(cluster.bootstrap("kafka39", "PLAINTEXT"));
 * await using client = await KafkaClient.connect({ hosts: faults.bootstrap });
 * faults.dropAll();
 * const stop = faults.chaos({ minMs: 200, maxMs: 2500, seed: 1 });
 * ```
 *
 * @module
 */
import {
  FindCoordinator,
  type FindCoordinatorResponse,
  Metadata,
  type MetadataResponse,
  Reader,
  Writer,
} from "../../src/protocol/mod.ts";
import {
  decodeResponseHeader,
  responseHeaderVersion,
} from "../../src/protocol/header.ts";
import { openTransport, type TransportFactory } from "../../src/network/mod.ts";

/** Where a proxy forwards to. */
export interface Target {
  hostname: string;
  port: number;
}

/** Rewrites one response frame (after the size prefix), or returns it as it is. */
export type FrameRewriter = (
  frame: Uint8Array,
  apiKey: number,
  apiVersion: number,
) => Uint8Array;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function closeQuietly(c: Deno.Conn | undefined): void {
  try {
    c?.close();
  } catch { /* closed already */ }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Splits a byte stream into size-prefixed frames. */
class Framer {
  #buf: Uint8Array = new Uint8Array(0);
  /** Adds bytes; returns the complete frames (without size prefixes). */
  push(bytes: Uint8Array): Uint8Array[] {
    this.#buf = this.#buf.length ? concat(this.#buf, bytes) : bytes.slice();
    const out: Uint8Array[] = [];
    for (;;) {
      if (this.#buf.length < 4) break;
      const size = new DataView(this.#buf.buffer, this.#buf.byteOffset)
        .getInt32(0);
      if (size < 0 || this.#buf.length < 4 + size) break;
      out.push(this.#buf.slice(4, 4 + size));
      this.#buf = this.#buf.subarray(4 + size);
    }
    return out;
  }
}

function withSize(frame: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + frame.length);
  new DataView(out.buffer).setInt32(0, frame.length);
  out.set(frame, 4);
  return out;
}

/** One client connection through a proxy. */
class Link {
  closedWrite = false;
  constructor(readonly client: Deno.TcpConn, readonly broker: Deno.TcpConn) {}
  close(): void {
    closeQuietly(this.client);
    closeQuietly(this.broker);
  }
}

/** A TCP proxy to one broker listener, with fault commands. */
export class FaultProxy implements AsyncDisposable {
  readonly target: Target;
  readonly #listener: Deno.TcpListener;
  readonly #links = new Set<Link>();
  readonly #running = new Set<Promise<void>>();
  readonly #accepting: Promise<void>;
  readonly #rewrite: FrameRewriter | undefined;
  #delayMs = 0;
  #gate: Promise<void> | undefined;
  #open: (() => void) | undefined;
  #truncateNext = false;
  #refusing = false;
  /** Connections accepted so far. */
  accepted = 0;
  /** Connections broken by a command so far. */
  broken = 0;

  /**
   * Starts listening on 127.0.0.1 (a free port).
   *
   * @param target the broker listener to forward to
   * @param rewrite rewrites response frames from the broker (the proxy
   *   then forwards whole frames)
   */
  constructor(target: Target, rewrite?: FrameRewriter) {
    this.target = target;
    this.#rewrite = rewrite;
    this.#listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    this.#accepting = this.#accept();
  }

  /** The port the proxy listens on. */
  get port(): number {
    return this.#listener.addr.port;
  }

  /** `127.0.0.1:port` of the proxy. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Connections open now. */
  get open(): number {
    return this.#links.size;
  }

  async #accept(): Promise<void> {
    for (;;) {
      let client: Deno.TcpConn;
      try {
        client = await this.#listener.accept();
      } catch {
        return;
      }
      this.accepted++;
      if (this.#refusing) {
        closeQuietly(client);
        continue;
      }
      const run = this.#serve(client);
      this.#running.add(run);
      run.finally(() => this.#running.delete(run));
    }
  }

  async #serve(client: Deno.TcpConn): Promise<void> {
    let broker: Deno.TcpConn;
    try {
      broker = await Deno.connect(this.target);
    } catch {
      closeQuietly(client);
      return;
    }
    const link = new Link(client, broker);
    this.#links.add(link);
    const requests = new Map<number, [number, number]>();
    const up = this.#pump(link, client, broker, requests, "up");
    const down = this.#pump(link, broker, client, requests, "down");
    try {
      await Promise.all([up, down]);
    } catch {
      /* a side went away */
    } finally {
      link.close();
      this.#links.delete(link);
      // The other direction may still be in a delay: wait for it, so that
      // close() leaves no timer behind.
      await Promise.allSettled([up, down]);
    }
  }

  async #pump(
    link: Link,
    from: Deno.TcpConn,
    to: Deno.TcpConn,
    requests: Map<number, [number, number]>,
    direction: "up" | "down",
  ): Promise<void> {
    const buf = new Uint8Array(65536);
    const framer = this.#rewrite ? new Framer() : undefined;
    try {
      for (;;) {
        const n = await from.read(buf);
        if (n === null) break;
        let chunks: Uint8Array[];
        if (!framer) {
          chunks = [buf.slice(0, n)];
        } else if (direction === "up") {
          // Requests pass as they are; their headers say what comes back.
          for (const f of framer.push(buf.subarray(0, n))) {
            if (f.length < 8) continue;
            const dv = new DataView(f.buffer, f.byteOffset, f.byteLength);
            requests.set(dv.getInt32(4), [dv.getInt16(0), dv.getInt16(2)]);
          }
          chunks = [buf.slice(0, n)];
        } else {
          chunks = framer.push(buf.subarray(0, n)).map((f) => {
            const id = f.length >= 4
              ? new DataView(f.buffer, f.byteOffset).getInt32(0)
              : -1;
            const req = requests.get(id);
            requests.delete(id);
            return withSize(req ? this.#rewrite!(f, req[0], req[1]) : f);
          });
        }
        for (const chunk of chunks) {
          if (this.#delayMs > 0) await sleep(this.#delayMs);
          while (this.#gate) await this.#gate;
          if (direction === "down" && this.#truncateNext) {
            this.#truncateNext = false;
            this.broken++;
            await writeAll(
              to,
              chunk.subarray(0, Math.max(1, chunk.length >> 1)),
            );
            link.close();
            return;
          }
          if (direction === "down" && link.closedWrite) continue;
          await writeAll(to, chunk);
        }
      }
    } finally {
      if (!(direction === "down" && link.closedWrite)) link.close();
    }
  }

  /** Closes every open connection now. */
  drop(): void {
    for (const l of this.#links) {
      this.broken++;
      l.close();
    }
  }

  /** Holds every chunk `ms` ms before forwarding it (0: no delay). */
  delay(ms: number): void {
    this.#delayMs = ms;
  }

  /** Forwards nothing until {@linkcode FaultProxy.resume}. */
  stall(): void {
    this.#gate ??= new Promise((r) => this.#open = r);
  }

  /** Forwards again after {@linkcode FaultProxy.stall}. */
  resume(): void {
    const open = this.#open;
    this.#gate = undefined;
    this.#open = undefined;
    open?.();
  }

  /** Cuts the next chunk from the broker in half, then closes that connection. */
  truncate(): void {
    this.#truncateNext = true;
  }

  /** Ends the broker-to-client direction of every open connection. */
  halfClose(): void {
    for (const l of this.#links) {
      if (l.closedWrite) continue;
      l.closedWrite = true;
      this.broken++;
      l.client.closeWrite().catch(() => {});
    }
  }

  /** Closes new connections at once (`true`) or serves them again. */
  refuse(on = true): void {
    this.#refusing = on;
  }

  /** Stops listening, closes every connection and waits for them. */
  async close(): Promise<void> {
    try {
      this.#listener.close();
    } catch { /* closed */ }
    this.resume();
    await this.#accepting;
    for (const l of this.#links) l.close();
    await Promise.all([...this.#running]);
  }

  /** Same as {@linkcode FaultProxy.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

async function writeAll(to: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let off = 0;
  while (off < bytes.length) off += await to.write(bytes.subarray(off));
}

/** How a {@linkcode FaultCluster} sends a client's connections through its proxies. */
export type FaultMode = "rewrite" | "transport";

/** A fault event of {@linkcode FaultCluster.chaos}, for the test's log. */
export interface FaultEvent {
  at: number;
  what: string;
}

/** The proxies of a whole cluster (see the module documentation). */
export class FaultCluster implements AsyncDisposable {
  readonly mode: FaultMode;
  readonly #proxies = new Map<string, FaultProxy>();
  readonly #seeds: Target[];
  /** Connections the `transport` opened, by real address. */
  readonly opened = new Map<string, number>();
  /** Every fault injected by {@linkcode FaultCluster.chaos}. */
  readonly events: FaultEvent[] = [];
  #chaos: { stop: () => Promise<void> } | undefined;

  /**
   * Starts a proxy for each bootstrap address.
   *
   * @param bootstrap `host:port,host:port` of the real listeners
   * @param mode `"rewrite"` (plaintext listeners) or `"transport"`
   */
  constructor(bootstrap: string, mode: FaultMode = "rewrite") {
    this.mode = mode;
    this.#seeds = bootstrap.split(",").map((a) => {
      const i = a.lastIndexOf(":");
      return { hostname: a.slice(0, i), port: Number(a.slice(i + 1)) };
    });
    for (const s of this.#seeds) this.proxyFor(s.hostname, s.port);
  }

  /** The proxy of a real address (started on first use). */
  proxyFor(hostname: string, port: number): FaultProxy {
    const key = `${hostname}:${port}`;
    let p = this.#proxies.get(key);
    if (!p) {
      p = new FaultProxy(
        { hostname, port },
        this.mode === "rewrite" ? this.#rewriteFrame : undefined,
      );
      this.#proxies.set(key, p);
    }
    return p;
  }

  /** The proxy whose real address is `address` (`host:port`), if started. */
  proxy(address: string): FaultProxy | undefined {
    return this.#proxies.get(address);
  }

  /** Every proxy started so far. */
  get proxies(): FaultProxy[] {
    return [...this.#proxies.values()];
  }

  /** Real addresses → proxy ports. */
  get ports(): Map<string, number> {
    return new Map([...this.#proxies].map(([a, p]) => [a, p.port]));
  }

  /** The client's `hosts`: the proxies in "rewrite" mode, the real listeners otherwise. */
  get bootstrap(): string {
    return this.#seeds.map((s) =>
      this.mode === "rewrite"
        ? this.proxyFor(s.hostname, s.port).address
        : `${s.hostname}:${s.port}`
    ).join(",");
  }

  /** The client's `transport` ("transport" mode): every socket to its proxy. */
  readonly transport: TransportFactory = (o) => {
    const real = `${o.host}:${o.port}`;
    this.opened.set(real, (this.opened.get(real) ?? 0) + 1);
    const p = this.proxyFor(o.host, o.port);
    return openTransport({
      ...o,
      host: "127.0.0.1",
      port: p.port,
      tls: o.tls && { ...o.tls, serverName: o.tls.serverName ?? o.host },
    });
  };

  /** Rewrites broker addresses in Metadata and FindCoordinator responses. */
  readonly #rewriteFrame: FrameRewriter = (frame, apiKey, version) => {
    const api = apiKey === Metadata.apiKey
      ? Metadata
      : apiKey === FindCoordinator.apiKey
      ? FindCoordinator
      : undefined;
    if (!api) return frame;
    const hv = responseHeaderVersion(api, version);
    const r = new Reader(frame);
    const { correlationId } = decodeResponseHeader(r, hv);
    const w = new Writer(frame.length + 16);
    w.int32(correlationId);
    if (hv === 1) w.uvarint(0);
    if (api === Metadata) {
      const md = Metadata.decodeResponse(r, version) as MetadataResponse;
      for (const b of md.brokers) {
        const p = this.proxyFor(b.host, b.port);
        b.host = "127.0.0.1";
        b.port = p.port;
      }
      Metadata.encodeResponse(w, version, md);
    } else {
      const fc = FindCoordinator.decodeResponse(
        r,
        version,
      ) as FindCoordinatorResponse;
      if (fc.host && fc.port) {
        fc.port = this.proxyFor(fc.host, fc.port).port;
        fc.host = "127.0.0.1";
      }
      for (const c of fc.coordinators ?? []) {
        if (!c.host || !c.port) continue;
        c.port = this.proxyFor(c.host, c.port).port;
        c.host = "127.0.0.1";
      }
      FindCoordinator.encodeResponse(w, version, fc);
    }
    return w.finish().slice();
  };

  /** Closes every open connection of every proxy. */
  dropAll(): void {
    for (const p of this.#proxies.values()) p.drop();
  }

  /**
   * Injects faults until stopped: every `minMs`–`maxMs` ms (random, from
   * `seed`) one of: drop the connections of one proxy (most often), of all
   * proxies, truncate a response, half-close, or stall one proxy for up to
   * `maxStallMs`. Returns a function that stops it (and resumes stalls).
   */
  chaos(options: {
    minMs: number;
    maxMs: number;
    seed: number;
    maxStallMs?: number;
  }): () => Promise<void> {
    let s = options.seed >>> 0 || 1;
    const rand = () => {
      s ^= s << 13;
      s >>>= 0;
      s ^= s >>> 17;
      s ^= s << 5;
      s >>>= 0;
      return s / 4294967296;
    };
    let stopped = false;
    const t0 = Date.now();
    const log = (what: string) =>
      this.events.push({ at: Date.now() - t0, what });
    const loop = (async () => {
      while (!stopped) {
        await sleep(options.minMs + rand() * (options.maxMs - options.minMs));
        if (stopped) break;
        const all = [...this.#proxies.entries()];
        const [name, p] = all[Math.floor(rand() * all.length)];
        const k = rand();
        if (k < 0.55) {
          log(`drop ${name} (${p.open} connections)`);
          p.drop();
        } else if (k < 0.7) {
          log("drop all");
          this.dropAll();
        } else if (k < 0.8) {
          log(`truncate ${name}`);
          p.truncate();
        } else if (k < 0.9) {
          log(`half-close ${name}`);
          p.halfClose();
        } else {
          const ms = Math.floor(rand() * (options.maxStallMs ?? 2000));
          log(`stall ${name} ${ms} ms`);
          p.stall();
          await sleep(ms);
          p.resume();
        }
      }
    })();
    const stop = async () => {
      stopped = true;
      await loop;
      for (const p of this.#proxies.values()) p.resume();
    };
    this.#chaos = { stop };
    return stop;
  }

  /** Stops the chaos and every proxy. */
  async close(): Promise<void> {
    await this.#chaos?.stop();
    await Promise.all([...this.#proxies.values()].map((p) => p.close()));
  }

  /** Same as {@linkcode FaultCluster.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
