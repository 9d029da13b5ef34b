// A transport for the producer tests that counts the requests the client
// writes, per broker port and API key, and keeps the Produce requests'
// bytes: what a test says about requests is read off the wire.
import {
  openTransport,
  type Transport,
  type TransportFactory,
} from "../../src/network/mod.ts";

/** One request seen on the wire. */
export interface WireRequest {
  port: number;
  apiKey: number;
  version: number;
  /** The whole frame (size prefix excluded). */
  bytes: Uint8Array;
}

/** Counts requests by parsing each connection's outgoing byte stream. */
export class WireCounter {
  readonly requests: WireRequest[] = [];
  /** Keep frames of these API keys (default: Produce only). */
  keep: Set<number> = new Set([0]);

  /** The transport factory to give `KafkaClient` (`transport` option). */
  readonly transport: TransportFactory = async (o) => {
    const t = await openTransport(o);
    return this.#wrap(t, o.port);
  };

  #wrap(t: Transport, port: number): Transport {
    let pending = new Uint8Array(0);
    const onBytes = (data: Uint8Array) => {
      const buf = new Uint8Array(pending.length + data.length);
      buf.set(pending);
      buf.set(data, pending.length);
      let off = 0;
      while (buf.length - off >= 4) {
        const v = new DataView(buf.buffer, buf.byteOffset + off);
        const size = v.getInt32(0);
        if (buf.length - off - 4 < size) break;
        const apiKey = v.getInt16(4);
        const version = v.getInt16(6);
        this.requests.push({
          port,
          apiKey,
          version,
          bytes: this.keep.has(apiKey)
            ? buf.slice(off + 4, off + 4 + size)
            : new Uint8Array(0),
        });
        off += 4 + size;
      }
      pending = buf.slice(off);
    };
    return {
      read: (into) => t.read(into),
      write: (data) => {
        onBytes(data);
        return t.write(data);
      },
      close: () => t.close(),
      get localAddress() {
        return t.localAddress;
      },
      get noDelay() {
        return t.noDelay;
      },
    };
  }

  /** Requests of an API key (after index `from`). */
  of(apiKey: number, from = 0): WireRequest[] {
    return this.requests.slice(from).filter((r) => r.apiKey === apiKey);
  }

  /** Whether `text` occurs in the frame's bytes (e.g. a topic name). */
  static mentions(r: WireRequest, text: string): boolean {
    const needle = new TextEncoder().encode(text);
    const h = r.bytes;
    outer: for (let i = 0; i + needle.length <= h.length; i++) {
      for (let j = 0; j < needle.length; j++) {
        if (h[i + j] !== needle[j]) continue outer;
      }
      return true;
    }
    return false;
  }
}
