/**
 * TLS settings of every connection the client opens ({@linkcode SslConfig}),
 * and their resolution into what the socket layer takes: files read, PEM
 * text checked, an encrypted private key decrypted.
 *
 * @module
 */

import { KafkaError } from "../errors/mod.ts";
import { decryptPrivateKey, isEncryptedKey } from "./_pkcs8.ts";
import { CERT_RE, KEY_RE, sslConfigRule } from "./_options.ts";
import type { ResolvedTls } from "./transport.ts";
import { readTextFile } from "../util/runtime.ts";
import { redactWhenPrinted } from "../util/secrets.ts";
import { errorMessage } from "../util/error_text.ts";

/**
 * TLS for every broker connection (pykafka's `SslConfig`, with PEM text as
 * an alternative to file paths). Setting it at all turns TLS on.
 *
 * - `cafile` / `ca`: CA certificate(s) to trust, added to the system roots.
 * - `certfile` / `cert` and `keyfile` / `key`: the client certificate chain
 *   and its private key, for brokers that require client authentication
 *   (`ssl.client.auth=required`).
 * - `password`: decrypts an encrypted key (`-----BEGIN ENCRYPTED PRIVATE
 *   KEY-----`, PKCS#8 PBES2 with PBKDF2 and AES-CBC, the form `openssl
 *   genpkey -aes256` and `openssl pkcs8 -topk8 -v2 aes-256-cbc` write).
 *   Deno's TLS cannot load encrypted keys, so the client decrypts it with
 *   WebCrypto, in memory. Older encryptions (OpenSSL's `Proc-Type:
 *   4,ENCRYPTED` headers, PBES1, 3DES) give an `UnsupportedFeatureError`
 *   that says how to convert the key.
 * - `checkHostname` (default `true`): verify that the broker's certificate
 *   names the host the client dialled (a DNS or IP subject alternative
 *   name). The chain is always verified. `false` turns off the name check
 *   only (Deno's `unsafelyDisableHostnameVerification`). pykafka never
 *   checked host names; this client does unless told otherwise.
 *
 * File paths need `--allow-read`; PEM text does not.
 *
 * @example
 * ```ts
 * import type { SslConfig } from "./ssl_config.ts";
 * const ssl: SslConfig = {
 *   cafile: "/etc/kafka/ca.pem",
 *   certfile: "/etc/kafka/client.pem",
 *   keyfile: "/etc/kafka/client.key",
 *   password: "key-password",
 * };
 * ```
 */
export interface SslConfig {
  /** Path of a PEM file with the CA certificate(s) to trust. */
  cafile?: string;
  /** Path of the PEM client certificate (chain). */
  certfile?: string;
  /** Path of the PEM client private key. */
  keyfile?: string;
  /** Password of an encrypted private key. */
  password?: string;
  /** PEM text of the CA certificate(s) to trust. */
  ca?: string;
  /** PEM text of the client certificate (chain). */
  cert?: string;
  /** PEM text of the client private key. */
  key?: string;
  /** Verify the certificate's host name (default `true`). */
  checkHostname?: boolean;
}

const cache = new WeakMap<SslConfig, Promise<ResolvedTls>>();

/**
 * Reads, checks and decrypts an {@linkcode SslConfig}. The result is cached
 * per config object, so every connection of a client shares one decryption.
 * The options are checked first, like every option of the library
 * (`TypeError` / `RangeError` naming the option); a file that cannot be
 * read or holds no PEM block of the right kind is a `KafkaError`.
 *
 * @example
 * ```ts
 * import { resolveSslConfig } from "@denokafka/kafka/network";
 *
 * const tls = await resolveSslConfig({ cafile: Deno.env.get("KAFKA_TLS_CAFILE") ?? "ca.pem" });
 * console.log(tls.caCerts.length); // 1
 * ```
 */
export function resolveSslConfig(config: SslConfig): Promise<ResolvedTls> {
  let p = cache.get(config);
  if (!p) {
    try {
      sslConfigRule(config, "resolveSslConfig", "config");
    } catch (e) {
      return Promise.reject(e);
    }
    p = resolve(config);
    cache.set(config, p);
    p.catch(() => cache.delete(config));
  }
  return p;
}

/** The file's text, which must match `re` (a `KafkaError` otherwise). */
async function readPem(
  path: string,
  option: string,
  re: RegExp,
  what: string,
): Promise<string> {
  let text: string;
  try {
    text = await readTextFile(path);
  } catch (cause) {
    throw new KafkaError(
      `sslConfig.${option}: cannot read ${path}: ${errorMessage(cause)}`,
      { cause },
    );
  }
  if (!re.test(text)) {
    throw new KafkaError(`sslConfig.${option}: ${path} holds no PEM ${what}`);
  }
  return text;
}

async function resolve(c: SslConfig): Promise<ResolvedTls> {
  // Text options were checked with the options; files are checked here.
  const ca = c.ca ??
    (c.cafile
      ? await readPem(c.cafile, "cafile", CERT_RE, "certificate")
      : undefined);
  const cert = c.cert ??
    (c.certfile
      ? await readPem(c.certfile, "certfile", CERT_RE, "certificate")
      : undefined);
  let key = c.key ??
    (c.keyfile
      ? await readPem(c.keyfile, "keyfile", KEY_RE, "private key")
      : undefined);
  if (key !== undefined && isEncryptedKey(key)) {
    if (c.password === undefined) {
      throw new KafkaError(
        `sslConfig.keyfile: the private key in ${c.keyfile} is encrypted; set sslConfig.password`,
      );
    }
    key = await decryptPrivateKey(key, c.password);
  }
  // The decrypted key reaches transports (custom ones included): printing
  // the settings shows it as "[redacted]".
  return redactWhenPrinted({
    caCerts: ca !== undefined ? [ca] : [],
    ...(cert !== undefined ? { cert, key } : {}),
    checkHostname: c.checkHostname ?? true,
  }, ["key"]);
}
