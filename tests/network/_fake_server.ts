// A tiny scripted TCP peer for the connection layer's failure paths
// (garbage, hostile lengths, unknown correlation ids, silence, mid-frame
// close). Real broker behaviour is tested against the real cluster; this
// server only plays the parts a broker never plays on purpose.

/** A request frame as the fake server saw it. */
export interface FakeRequest {
  /** API key from the request header. */
  apiKey: number;
  /** API version from the request header. */
  apiVersion: number;
  /** Correlation id from the request header. */
  correlationId: number;
  /** Client id from the request header. */
  clientId: string | null;
  /** The whole frame after the length prefix (header + body). */
  frame: Uint8Array;
}

/** One accepted connection. */
export class FakePeer {
  readonly #conn: Deno.Conn;
  #buf = new Uint8Array(0);
  #closed = false;
  /** Reads seen by the server (to observe write coalescing). */
  reads = 0;

  constructor(conn: Deno.Conn) {
    this.#conn = conn;
  }

  async #fill(n: number): Promise<boolean> {
    while (this.#buf.length < n) {
      const chunk = new Uint8Array(65536);
      let got: number | null;
      try {
        got = await this.#conn.read(chunk);
      } catch {
        return false;
      }
      if (got === null) return false;
      this.reads++;
      const next = new Uint8Array(this.#buf.length + got);
      next.set(this.#buf);
      next.set(chunk.subarray(0, got), this.#buf.length);
      this.#buf = next;
    }
    return true;
  }

  /** Reads one length-prefixed frame; null at end of stream. */
  async readFrame(): Promise<Uint8Array | null> {
    if (!(await this.#fill(4))) return null;
    const size = new DataView(this.#buf.buffer, this.#buf.byteOffset).getInt32(
      0,
    );
    if (!(await this.#fill(4 + size))) return null;
    const frame = this.#buf.slice(4, 4 + size);
    this.#buf = this.#buf.slice(4 + size);
    return frame;
  }

  /** Reads one request and parses its header's fixed part. */
  async readRequest(): Promise<FakeRequest | null> {
    const frame = await this.readFrame();
    if (frame === null) return null;
    const dv = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
    const len = dv.getInt16(8);
    return {
      apiKey: dv.getInt16(0),
      apiVersion: dv.getInt16(2),
      correlationId: dv.getInt32(4),
      clientId: len < 0
        ? null
        : new TextDecoder().decode(frame.subarray(10, 10 + len)),
      frame,
    };
  }

  /** Writes raw bytes. */
  async write(bytes: Uint8Array): Promise<void> {
    let off = 0;
    while (off < bytes.length) {
      off += await this.#conn.write(bytes.subarray(off));
    }
  }

  /** Writes a response frame: size, correlation id, body. */
  respond(correlationId: number, body: Uint8Array): Promise<void> {
    const out = new Uint8Array(8 + body.length);
    const dv = new DataView(out.buffer);
    dv.setInt32(0, 4 + body.length);
    dv.setInt32(4, correlationId);
    out.set(body, 8);
    return this.write(out);
  }

  /** Closes the connection (idempotent). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#conn.close();
    } catch { /* already closed */ }
  }
}

/**
 * Listens on 127.0.0.1 (random port) and runs `script` for each accepted
 * connection. `close()` stops listening, closes every connection and waits
 * for every script, so tests end with no open resource.
 */
export class FakeBroker implements AsyncDisposable {
  readonly #listener: Deno.TcpListener;
  readonly #peers = new Set<FakePeer>();
  readonly #scripts = new Set<Promise<void>>();
  readonly #accepting: Promise<void>;
  /** Errors thrown by scripts (a test may assert there were none). */
  readonly errors: unknown[] = [];
  /** Connections accepted. */
  accepted = 0;

  constructor(script: (peer: FakePeer) => Promise<void>) {
    this.#listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    this.#accepting = this.#acceptLoop(script);
  }

  async #acceptLoop(script: (peer: FakePeer) => Promise<void>): Promise<void> {
    for (;;) {
      let conn: Deno.Conn;
      try {
        conn = await this.#listener.accept();
      } catch {
        return;
      }
      this.accepted++;
      const peer = new FakePeer(conn);
      this.#peers.add(peer);
      const run: Promise<void> = script(peer).catch((e) => {
        this.errors.push(e);
      }).finally(() => {
        peer.close();
        this.#peers.delete(peer);
        this.#scripts.delete(run);
      });
      this.#scripts.add(run);
    }
  }

  /** The port the fake broker listens on. */
  get port(): number {
    return this.#listener.addr.port;
  }

  /** Stops the server and waits for every connection script. */
  async close(): Promise<void> {
    try {
      this.#listener.close();
    } catch { /* closed */ }
    await this.#accepting;
    for (const p of this.#peers) p.close();
    await Promise.all([...this.#scripts]);
  }

  /** Same as close(). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** Encodes an ApiVersions v0 response body: error code and key ranges. */
export function apiVersionsV0Body(
  errorCode: number,
  keys: Array<[number, number, number]>,
): Uint8Array {
  const out = new Uint8Array(2 + 4 + keys.length * 6);
  const dv = new DataView(out.buffer);
  dv.setInt16(0, errorCode);
  dv.setInt32(2, keys.length);
  keys.forEach(([k, min, max], i) => {
    dv.setInt16(6 + i * 6, k);
    dv.setInt16(8 + i * 6, min);
    dv.setInt16(10 + i * 6, max);
  });
  return out;
}

/** Resolves after `ms`. */
export function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * A TCP relay on another loopback address (e.g. 127.0.0.2) to a real
 * listener: the client dials a name the broker's certificate does not list.
 */
export class TcpProxy implements AsyncDisposable {
  readonly #listener: Deno.TcpListener;
  readonly #conns = new Set<Deno.Conn>();
  readonly #pipes = new Set<Promise<void>>();
  readonly #accepting: Promise<void>;

  constructor(hostname: string, target: { hostname: string; port: number }) {
    this.#listener = Deno.listen({ hostname, port: 0 });
    this.#accepting = this.#acceptLoop(target);
  }

  async #acceptLoop(target: { hostname: string; port: number }): Promise<void> {
    for (;;) {
      let a: Deno.Conn;
      try {
        a = await this.#listener.accept();
      } catch {
        return;
      }
      this.#conns.add(a);
      const run = (async () => {
        let b: Deno.Conn | undefined;
        try {
          b = await Deno.connect(target);
          this.#conns.add(b);
          await Promise.all([this.#pump(a, b), this.#pump(b, a)]);
        } catch {
          /* a side went away */
        } finally {
          for (const c of [a, b]) {
            if (!c) continue;
            this.#conns.delete(c);
            try {
              c.close();
            } catch { /* closed */ }
          }
        }
      })();
      this.#pipes.add(run);
      run.finally(() => this.#pipes.delete(run));
    }
  }

  async #pump(from: Deno.Conn, to: Deno.Conn): Promise<void> {
    const buf = new Uint8Array(65536);
    try {
      for (;;) {
        const n = await from.read(buf);
        if (n === null) break;
        let off = 0;
        while (off < n) off += await to.write(buf.subarray(off, n));
      }
    } finally {
      // one side ended: end both
      for (const c of [from, to]) {
        try {
          c.close();
        } catch { /* closed */ }
      }
    }
  }

  /** The port the relay listens on. */
  get port(): number {
    return this.#listener.addr.port;
  }

  /** Stops relaying and waits for every pipe. */
  async close(): Promise<void> {
    try {
      this.#listener.close();
    } catch { /* closed */ }
    await this.#accepting;
    for (const c of this.#conns) {
      try {
        c.close();
      } catch { /* closed */ }
    }
    await Promise.all([...this.#pipes]);
  }

  /** Same as close(). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
