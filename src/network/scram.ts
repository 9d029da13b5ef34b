/**
 * SCRAM client (RFC 5802, with the SHA-256 profile of RFC 7677 and the
 * SHA-512 variant Kafka adds), built on WebCrypto: PBKDF2 for the salted
 * password, HMAC and SHA digests for the proofs. The client checks the
 * server's nonce, iteration count and final signature, so a broker that
 * does not know the password cannot pretend to have authenticated us.
 *
 * @module
 */

import { SaslAuthenticationError } from "../errors/mod.ts";
import { decodeBase64, encodeBase64 } from "../util/base64.ts";
import { validateOptions } from "../util/options.ts";
import { SCRAM_CLIENT_RULES } from "./_options.ts";

/** Hash functions SCRAM can run on. `SHA-1` exists for RFC 5802's test vector. */
export type ScramHash = "SHA-1" | "SHA-256" | "SHA-512";

/** SCRAM mechanism names as Kafka spells them. */
export type ScramMechanism = "SCRAM-SHA-256" | "SCRAM-SHA-512";

const HASH_BYTES: Record<ScramHash, number> = {
  "SHA-1": 20,
  "SHA-256": 32,
  "SHA-512": 64,
};

/** Iteration counts outside this range are refused (a hostile server could ask for billions). */
const MIN_ITERATIONS = 1;
const MAX_ITERATIONS = 1_000_000;

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

/** The hash a Kafka SCRAM mechanism name stands for. */
export function scramHash(mechanism: ScramMechanism): ScramHash {
  return mechanism === "SCRAM-SHA-512" ? "SHA-512" : "SHA-256";
}

/** The error for a server value that is not base64. */
function notBase64(what: string): (cause: unknown) => Error {
  return (cause) =>
    new SaslAuthenticationError(`SCRAM: ${what} is not valid base64`, {
      cause,
    });
}

/** RFC 5802 `saslname`: "=" becomes "=3D" and "," becomes "=2C". */
export function escapeSaslName(name: string): string {
  return name.replaceAll("=", "=3D").replaceAll(",", "=2C");
}

/** Parses `a=1,b=2` attribute lists; later duplicates are ignored. */
function parseAttributes(message: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of message.split(",")) {
    const eq = part.indexOf("=");
    if (eq !== 1) {
      throw new SaslAuthenticationError(
        `SCRAM: malformed server message ${JSON.stringify(message)}`,
      );
    }
    const key = part[0];
    if (!out.has(key)) out.set(key, part.slice(2));
  }
  return out;
}

function randomNonce(): string {
  // 24 random bytes, base64: printable, no ",".
  return encodeBase64(crypto.getRandomValues(new Uint8Array(24)));
}

async function hmac(
  hash: ScramHash,
  key: Uint8Array,
  data: Uint8Array,
): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey(
    "raw",
    key as Uint8Array<ArrayBuffer>,
    { name: "HMAC", hash },
    false,
    ["sign"],
  );
  return new Uint8Array(
    await crypto.subtle.sign("HMAC", k, data as Uint8Array<ArrayBuffer>),
  );
}

/** PBKDF2 with HMAC-`hash`, one block (dkLen = hash length), as SCRAM's Hi(). */
async function hi(
  hash: ScramHash,
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey(
    "raw",
    password as Uint8Array<ArrayBuffer>,
    "PBKDF2",
    false,
    ["deriveBits"],
  );
  return new Uint8Array(
    await crypto.subtle.deriveBits(
      {
        name: "PBKDF2",
        hash,
        salt: salt as Uint8Array<ArrayBuffer>,
        iterations,
      },
      k,
      HASH_BYTES[hash] * 8,
    ),
  );
}

function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/** Options of {@linkcode ScramClient}. */
export interface ScramClientOptions {
  /** The hash function: `SHA-256` for SCRAM-SHA-256, `SHA-512` for SCRAM-SHA-512. */
  hash: ScramHash;
  /** User name (escaped as RFC 5802 requires). */
  username: string;
  /** Password, used as UTF-8 bytes (Kafka does not apply SASLprep). */
  password: string;
  /** The client nonce; random by default. Fixed only for test vectors. */
  nonce?: string;
}

/**
 * One SCRAM exchange from the client side: `clientFirst()`, then
 * `clientFinal(serverFirst)`, then `verifyServerFinal(serverFinal)`.
 * Every step throws {@linkcode SaslAuthenticationError} when the server's
 * message is malformed, its nonce does not extend ours, it reports an
 * error (`e=`), or its signature does not prove it knows the password.
 *
 * @example RFC 7677's SCRAM-SHA-256 exchange
 * ```ts
 * import { ScramClient } from "./scram.ts";
 * const c = new ScramClient({ hash: "SHA-256", username: "user", password: "pencil", nonce: "rOprNGfwEbeRWgbNEkqO" });
 * c.clientFirst(); // "n,,n=user,r=rOprNGfwEbeRWgbNEkqO"
 * const final = await c.clientFinal(
 *   "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
 * );
 * c.verifyServerFinal("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
 * ```
 */
export class ScramClient {
  readonly #hash: ScramHash;
  readonly #password: Uint8Array;
  readonly #nonce: string;
  readonly #clientFirstBare: string;
  #expectedServerSignature: Uint8Array | null = null;
  #done = false;

  /**
   * Starts an exchange (no I/O). A bad option is a `TypeError` /
   * `RangeError` naming it.
   */
  constructor(options: ScramClientOptions) {
    validateOptions("ScramClient", options, SCRAM_CLIENT_RULES);
    this.#hash = options.hash;
    this.#password = encoder.encode(options.password);
    this.#nonce = options.nonce ?? randomNonce();
    this.#clientFirstBare = `n=${
      escapeSaslName(options.username)
    },r=${this.#nonce}`;
  }

  /** The client-first message (GS2 header "n,," + bare message). */
  clientFirst(): string {
    return `n,,${this.#clientFirstBare}`;
  }

  /**
   * Takes the server-first message and returns the client-final message
   * carrying the proof.
   */
  async clientFinal(serverFirst: string): Promise<string> {
    if (this.#expectedServerSignature !== null) {
      throw new SaslAuthenticationError("SCRAM: server-first received twice");
    }
    const attrs = parseAttributes(serverFirst);
    if (attrs.has("e")) {
      throw new SaslAuthenticationError(
        `SCRAM: server error: ${attrs.get("e")}`,
      );
    }
    if (attrs.has("m")) {
      throw new SaslAuthenticationError(
        "SCRAM: server requires an unsupported mandatory extension",
      );
    }
    const nonce = attrs.get("r");
    const saltText = attrs.get("s");
    const iterText = attrs.get("i");
    if (
      nonce === undefined || saltText === undefined || iterText === undefined
    ) {
      throw new SaslAuthenticationError(
        `SCRAM: server-first lacks r, s or i: ${JSON.stringify(serverFirst)}`,
      );
    }
    if (!nonce.startsWith(this.#nonce) || nonce.length <= this.#nonce.length) {
      throw new SaslAuthenticationError(
        "SCRAM: server nonce does not extend the client nonce",
      );
    }
    if (!/^[0-9]+$/.test(iterText)) {
      throw new SaslAuthenticationError(
        `SCRAM: bad iteration count ${JSON.stringify(iterText)}`,
      );
    }
    const iterations = Number(iterText);
    if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
      throw new SaslAuthenticationError(
        `SCRAM: iteration count ${iterations} outside ${MIN_ITERATIONS}..${MAX_ITERATIONS}`,
      );
    }
    const salt = decodeBase64(saltText, notBase64("salt"));
    const hash = this.#hash;

    const salted = await hi(hash, this.#password, salt, iterations);
    const clientKey = await hmac(hash, salted, encoder.encode("Client Key"));
    const storedKey = new Uint8Array(
      await crypto.subtle.digest(hash, clientKey as Uint8Array<ArrayBuffer>),
    );
    const withoutProof = `c=biws,r=${nonce}`; // biws = base64("n,,")
    const authMessage = encoder.encode(
      `${this.#clientFirstBare},${serverFirst},${withoutProof}`,
    );
    const clientSignature = await hmac(hash, storedKey, authMessage);
    const proof = new Uint8Array(clientKey.length);
    for (let i = 0; i < proof.length; i++) {
      proof[i] = clientKey[i] ^ clientSignature[i];
    }
    const serverKey = await hmac(hash, salted, encoder.encode("Server Key"));
    this.#expectedServerSignature = await hmac(hash, serverKey, authMessage);
    return `${withoutProof},p=${encodeBase64(proof)}`;
  }

  /** Checks the server-final message: the server's signature must match. */
  verifyServerFinal(serverFinal: string): void {
    const expected = this.#expectedServerSignature;
    if (expected === null) {
      throw new SaslAuthenticationError(
        "SCRAM: server-final received before server-first",
      );
    }
    const attrs = parseAttributes(serverFinal);
    if (attrs.has("e")) {
      throw new SaslAuthenticationError(
        `SCRAM: server error: ${attrs.get("e")}`,
      );
    }
    const v = attrs.get("v");
    if (v === undefined) {
      throw new SaslAuthenticationError(
        `SCRAM: server-final lacks a signature: ${JSON.stringify(serverFinal)}`,
      );
    }
    if (
      !timingSafeEqual(decodeBase64(v, notBase64("server signature")), expected)
    ) {
      throw new SaslAuthenticationError(
        "SCRAM: the server signature is wrong (the server does not know the password)",
      );
    }
    this.#done = true;
  }

  /** True once the server's signature was verified. */
  get complete(): boolean {
    return this.#done;
  }
}

/** Decodes a SCRAM message received as bytes. */
export function scramText(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch (cause) {
    throw new SaslAuthenticationError("SCRAM: server message is not UTF-8", {
      cause,
    });
  }
}
