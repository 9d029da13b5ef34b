/**
 * Hand-encoded probes used to tell when a broker listener answers: an
 * ApiVersions v0 exchange and a Metadata v0 broker list. These deliberately
 * do not use the library, so the cluster tooling works even while the
 * library is broken.
 *
 * @module
 */

/** Where and how to connect. */
export interface ProbeTarget {
  /** Host name or address. */
  host: string;
  /** TCP port. */
  port: number;
  /** Speak TLS with these settings. */
  tls?: {
    /** PEM CA certificates to trust. */
    caCerts: string[];
    /** PEM client certificate (mTLS). */
    cert?: string;
    /** PEM client key (mTLS). */
    key?: string;
  };
}

/** An API's supported version range. */
export interface VersionRange {
  /** Lowest version served. */
  min: number;
  /** Highest version served. */
  max: number;
}

const CLIENT_ID = new TextEncoder().encode("denokafka-probe");

function encodeRequest(
  apiKey: number,
  apiVersion: number,
  body: Uint8Array,
): Uint8Array {
  const headerLen = 2 + 2 + 4 + 2 + CLIENT_ID.length;
  const out = new Uint8Array(4 + headerLen + body.length);
  const dv = new DataView(out.buffer);
  dv.setInt32(0, headerLen + body.length);
  dv.setInt16(4, apiKey);
  dv.setInt16(6, apiVersion);
  dv.setInt32(8, 1); // correlation id
  dv.setInt16(12, CLIENT_ID.length);
  out.set(CLIENT_ID, 14);
  out.set(body, 14 + CLIENT_ID.length);
  return out;
}

async function readExact(conn: Deno.Conn, n: number): Promise<Uint8Array> {
  const buf = new Uint8Array(n);
  let off = 0;
  while (off < n) {
    const r = await conn.read(buf.subarray(off));
    if (r === null) {
      throw new Error(`connection closed after ${off} of ${n} bytes`);
    }
    off += r;
  }
  return buf;
}

async function exchange(
  target: ProbeTarget,
  request: Uint8Array,
  timeoutMs: number,
): Promise<DataView> {
  let conn: Deno.Conn | undefined;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      conn?.close();
    } catch { /* already closed */ }
  }, timeoutMs);
  try {
    conn = target.tls
      ? await Deno.connectTls({
        hostname: target.host,
        port: target.port,
        caCerts: target.tls.caCerts,
        ...(target.tls.cert && target.tls.key
          ? { cert: target.tls.cert, key: target.tls.key }
          : {}),
      })
      : await Deno.connect({ hostname: target.host, port: target.port });
    if (timedOut) throw new Error("timed out");
    let written = 0;
    while (written < request.length) {
      written += await conn.write(request.subarray(written));
    }
    const size = new DataView((await readExact(conn, 4)).buffer).getInt32(0);
    if (size < 4 || size > 64 * 1024 * 1024) {
      throw new Error(`bad response size ${size}`);
    }
    const body = await readExact(conn, size);
    return new DataView(body.buffer);
  } catch (e) {
    if (timedOut) {
      throw new Error(
        `no answer from ${target.host}:${target.port} within ${timeoutMs} ms`,
      );
    }
    throw e;
  } finally {
    clearTimeout(timer);
    if (!timedOut) {
      try {
        conn?.close();
      } catch { /* already closed */ }
    }
  }
}

/**
 * Sends ApiVersions v0 and returns the broker's version range per API key.
 */
export async function probeApiVersions(
  target: ProbeTarget,
  timeoutMs = 5000,
): Promise<Map<number, VersionRange>> {
  const dv = await exchange(
    target,
    encodeRequest(18, 0, new Uint8Array(0)),
    timeoutMs,
  );
  const errorCode = dv.getInt16(4);
  if (errorCode !== 0) throw new Error(`ApiVersions error code ${errorCode}`);
  const count = dv.getInt32(6);
  const out = new Map<number, VersionRange>();
  let off = 10;
  for (let i = 0; i < count; i++) {
    out.set(dv.getInt16(off), {
      min: dv.getInt16(off + 2),
      max: dv.getInt16(off + 4),
    });
    off += 6;
  }
  return out;
}

/** A broker as listed in a Metadata response. */
export interface ProbedBroker {
  /** Broker id. */
  nodeId: number;
  /** Advertised host. */
  host: string;
  /** Advertised port. */
  port: number;
}

/**
 * Sends Metadata v0 for no topics and returns the live brokers. (v0 with an
 * empty topic list means "all topics"; only the broker list is read.)
 */
export async function probeBrokers(
  target: ProbeTarget,
  timeoutMs = 5000,
): Promise<ProbedBroker[]> {
  const dv = await exchange(
    target,
    encodeRequest(3, 0, new Uint8Array(4)),
    timeoutMs,
  );
  const dec = new TextDecoder();
  let off = 4;
  const n = dv.getInt32(off);
  off += 4;
  const brokers: ProbedBroker[] = [];
  for (let i = 0; i < n; i++) {
    const nodeId = dv.getInt32(off);
    const hl = dv.getInt16(off + 4);
    const host = dec.decode(new Uint8Array(dv.buffer, off + 6, hl));
    off += 6 + hl;
    const port = dv.getInt32(off);
    off += 4;
    brokers.push({ nodeId, host, port });
  }
  return brokers;
}
