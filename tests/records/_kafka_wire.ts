// Test helper: just enough of the Kafka wire protocol (non-flexible Metadata
// v0, Produce v0-v7 and Fetch v0-v4, request header v1) to move raw record
// sets to and from a broker, independent of the client's own network layer.
import { cluster } from "../cluster/mod.ts";

class W {
  #parts: number[] = [];
  i8(v: number): this {
    this.#parts.push(v & 0xff);
    return this;
  }
  i16(v: number): this {
    return this.i8(v >> 8).i8(v);
  }
  i32(v: number): this {
    return this.i16(v >> 16).i16(v);
  }
  i64(v: number): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigInt64(0, BigInt(v));
    return this.raw(b);
  }
  str(s: string | null): this {
    if (s === null) return this.i16(-1);
    const b = new TextEncoder().encode(s);
    return this.i16(b.length).raw(b);
  }
  bytes(b: Uint8Array): this {
    return this.i32(b.length).raw(b);
  }
  raw(b: Uint8Array): this {
    for (const x of b) this.#parts.push(x);
    return this;
  }
  done(): Uint8Array {
    return new Uint8Array(this.#parts);
  }
}

class R {
  p = 0;
  readonly dv: DataView;
  constructor(readonly b: Uint8Array) {
    this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  i8(): number {
    return this.dv.getInt8(this.p++);
  }
  i16(): number {
    const v = this.dv.getInt16(this.p);
    this.p += 2;
    return v;
  }
  i32(): number {
    const v = this.dv.getInt32(this.p);
    this.p += 4;
    return v;
  }
  i64(): number {
    const v = Number(this.dv.getBigInt64(this.p));
    this.p += 8;
    return v;
  }
  str(): string | null {
    const n = this.i16();
    if (n < 0) return null;
    const s = new TextDecoder().decode(this.b.subarray(this.p, this.p + n));
    this.p += n;
    return s;
  }
  bytes(): Uint8Array | null {
    const n = this.i32();
    if (n < 0) return null;
    const s = this.b.subarray(this.p, this.p + n);
    this.p += n;
    return s;
  }
  array<T>(f: () => T): T[] {
    const n = this.i32();
    return Array.from({ length: Math.max(0, n) }, f);
  }
}

/** One connection to one broker; requests are sent one at a time. */
export class Wire {
  #conn: Deno.Conn;
  #corr = 0;
  private constructor(conn: Deno.Conn) {
    this.#conn = conn;
  }
  static async connect(hostPort: string): Promise<Wire> {
    const [hostname, port] = hostPort.split(":");
    return new Wire(await Deno.connect({ hostname, port: Number(port) }));
  }
  close(): void {
    this.#conn.close();
  }
  async #readFull(n: number): Promise<Uint8Array> {
    const out = new Uint8Array(n);
    let got = 0;
    while (got < n) {
      const r = await this.#conn.read(out.subarray(got));
      if (r === null) throw new Error("broker closed the connection");
      got += r;
    }
    return out;
  }
  async request(apiKey: number, version: number, body: Uint8Array): Promise<R> {
    const corr = ++this.#corr;
    const head = new W().i16(apiKey).i16(version).i32(corr).str(
      "denokafka-records-test",
    ).done();
    const frame = new W().i32(head.length + body.length).raw(head).raw(body)
      .done();
    await this.#conn.write(frame);
    const size = new DataView((await this.#readFull(4)).buffer).getInt32(0);
    const r = new R(await this.#readFull(size));
    if (r.i32() !== corr) throw new Error("correlation id mismatch");
    return r;
  }

  /** Metadata v0 for one topic: the leader of each partition (auto-creates the topic). */
  async leaders(topic: string): Promise<Map<number, number>> {
    const r = await this.request(3, 0, new W().i32(1).str(topic).done());
    r.array(() => [r.i32(), r.str(), r.i32()]);
    const out = new Map<number, number>();
    r.array(() => {
      const err = r.i16();
      r.str();
      r.array(() => {
        const perr = r.i16();
        const id = r.i32();
        const leader = r.i32();
        r.array(() => r.i32());
        r.array(() => r.i32());
        if (err === 0 && perr === 0 && leader >= 0) out.set(id, leader);
      });
    });
    return out;
  }

  /** Produce v0-v7 of one record set to one partition; returns [errorCode, baseOffset]. */
  async produce(
    version: number,
    topic: string,
    partition: number,
    records: Uint8Array,
  ): Promise<[number, number]> {
    const w = new W();
    if (version >= 3) w.str(null);
    w.i16(-1).i32(10000).i32(1).str(topic).i32(1).i32(partition).bytes(records);
    const r = await this.request(0, version, w.done());
    let result: [number, number] = [-1, -1];
    r.array(() => {
      r.str();
      r.array(() => {
        r.i32();
        const err = r.i16();
        const base = r.i64();
        if (version >= 2) r.i64();
        if (version >= 5) r.i64();
        result = [err, base];
      });
    });
    return result;
  }

  /** Fetch v0-v4 of one partition from `offset`; returns [errorCode, highWatermark, records]. */
  async fetch(
    version: number,
    topic: string,
    partition: number,
    offset: number,
    maxBytes = 4 << 20,
  ): Promise<[number, number, Uint8Array]> {
    const w = new W().i32(-1).i32(500).i32(1);
    if (version >= 3) w.i32(maxBytes);
    if (version >= 4) w.i8(0);
    w.i32(1).str(topic).i32(1).i32(partition).i64(offset).i32(maxBytes);
    const r = await this.request(1, version, w.done());
    if (version >= 1) r.i32();
    let result: [number, number, Uint8Array] = [-1, -1, new Uint8Array(0)];
    r.array(() => {
      r.str();
      r.array(() => {
        r.i32();
        const err = r.i16();
        const hw = r.i64();
        if (version >= 4) {
          r.i64();
          r.array(() => [r.i64(), r.i64()]);
        }
        result = [err, hw, r.bytes() ?? new Uint8Array(0)];
      });
    });
    return result;
  }
}

/** Connects to the leader of partition 0 of `topic` on a cluster (creating the topic). */
export async function leaderOf(
  name: "kafka39" | "kafka4",
  topic: string,
): Promise<Wire> {
  const bootstrap = cluster.bootstrap(name, "PLAINTEXT").split(",")[0];
  const w = await Wire.connect(bootstrap);
  try {
    for (let i = 0; i < 100; i++) {
      const leader = (await w.leaders(topic)).get(0);
      if (leader !== undefined) {
        return await Wire.connect(cluster.address(leader, "PLAINTEXT"));
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no leader for ${topic} after 10 s`);
  } finally {
    w.close();
  }
}

/** Fetches everything of partition 0 until `count` records decode (or 10 s pass). */
export async function fetchAll(
  wire: Wire,
  version: number,
  topic: string,
  until: (raw: Uint8Array) => boolean,
): Promise<Uint8Array> {
  for (let i = 0; i < 100; i++) {
    const [err, , raw] = await wire.fetch(version, topic, 0, 0);
    if (err === 0 && until(raw)) return raw;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `fetch v${version} of ${topic} did not return the records in 10 s`,
  );
}
