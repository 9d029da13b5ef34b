/**
 * SASL authentication of a broker connection: PLAIN, SCRAM-SHA-256 and
 * SCRAM-SHA-512, over SaslHandshake v1 + SaslAuthenticate (Kafka 1.0+) or,
 * when the broker lacks SaslAuthenticate, the legacy SaslHandshake v0
 * framing (raw size-prefixed tokens, Kafka 0.10.x).
 *
 * @module
 */

import {
  errorForCode,
  SaslAuthenticationError,
  SocketDisconnectedError,
  UnsupportedFeatureError,
} from "../errors/mod.ts";
import { ScramClient, scramHash, scramText } from "./scram.ts";
import { saslConfigRule } from "./_options.ts";

/** SASL mechanisms this client speaks. */
export type SaslMechanism = "PLAIN" | "SCRAM-SHA-256" | "SCRAM-SHA-512";

/**
 * SASL credentials, used on every connection when set (the broker's
 * listener must be SASL_PLAINTEXT or SASL_SSL; with `sslConfig` the
 * connection is SASL_SSL).
 *
 * @example
 * ```ts
 * import type { SaslConfig } from "./sasl.ts";
 * const sasl: SaslConfig = { mechanism: "SCRAM-SHA-512", username: "alice", password: "alice-secret" };
 * ```
 */
export interface SaslConfig {
  /** The mechanism: `PLAIN`, `SCRAM-SHA-256` or `SCRAM-SHA-512`. */
  mechanism: SaslMechanism;
  /** User name. */
  username: string;
  /** Password. */
  password: string;
}

/** The outcome of a successful authentication. */
export interface SaslSession {
  /** The mechanism used. */
  mechanism: SaslMechanism;
  /** Whether SaslAuthenticate (true) or legacy raw tokens (false) were used. */
  authenticateApi: boolean;
  /**
   * Milliseconds until the broker expects re-authentication (KIP-368), 0
   * when it does not.
   */
  sessionLifetimeMs: number;
}

/** What authentication needs from a connection (implemented by it). */
export interface SaslChannel {
  /** Highest SaslHandshake version the broker serves, -1 if none. */
  readonly handshakeMaxVersion: number;
  /** Highest SaslAuthenticate version the broker serves, -1 if none. */
  readonly authenticateMaxVersion: number;
  /** Sends SaslHandshake; resolves with errorCode and the enabled mechanisms. */
  handshake(
    version: number,
    mechanism: string,
  ): Promise<{ errorCode: number; mechanisms: string[] }>;
  /** Sends a SaslAuthenticate request. */
  authenticate(version: number, authBytes: Uint8Array): Promise<{
    errorCode: number;
    errorMessage: string | null;
    authBytes: Uint8Array;
    sessionLifetimeMs: number;
  }>;
  /** Sends a raw size-prefixed token and resolves with the next raw frame. */
  rawToken(token: Uint8Array): Promise<Uint8Array>;
  /** Where the connection goes (`broker 1 host:port`), named in errors. */
  readonly where?: string;
}

const encoder = new TextEncoder();

/** One mechanism's client side: tokens to send, given what the server sent. */
interface Exchange {
  first(): Uint8Array;
  /** The next token to send, or null when the exchange is complete. */
  next(server: Uint8Array): Promise<Uint8Array | null>;
}

function plainExchange(c: SaslConfig): Exchange {
  return {
    // [authzid] NUL authcid NUL passwd (RFC 4616); authzid left empty.
    first: () => encoder.encode(`\0${c.username}\0${c.password}`),
    next: () => Promise.resolve(null),
  };
}

function scramExchange(c: SaslConfig): Exchange {
  const client = new ScramClient({
    hash: scramHash(c.mechanism as "SCRAM-SHA-256" | "SCRAM-SHA-512"),
    username: c.username,
    password: c.password,
  });
  let step = 0;
  return {
    first: () => encoder.encode(client.clientFirst()),
    async next(server) {
      step++;
      if (step === 1) {
        return encoder.encode(await client.clientFinal(scramText(server)));
      }
      if (step === 2) {
        client.verifyServerFinal(scramText(server));
        return null;
      }
      throw new SaslAuthenticationError(
        "SCRAM: unexpected extra server message",
      );
    },
  };
}

/**
 * Runs the SASL exchange on a fresh connection (after ApiVersions, before
 * any other request). Throws `SaslAuthenticationError` with the broker's
 * message when the credentials are refused or the mechanism is not enabled;
 * a malformed `config` is a `TypeError` / `RangeError` naming the option.
 *
 * @example
 * ```ts ignore the SaslChannel is built by BrokerConnection while it connects: set sasl on its options (BrokerConnection.connect shows it)
 * import { authenticateSasl } from "./sasl.ts";
 * // `channel` is provided by BrokerConnection; users set `sasl` on the connection options instead.
 * const session = await authenticateSasl(channel, { mechanism: "PLAIN", username: "alice", password: "alice-secret" });
 * ```
 */
export async function authenticateSasl(
  channel: SaslChannel,
  config: SaslConfig,
): Promise<SaslSession> {
  saslConfigRule(config, "authenticateSasl", "config");
  if (channel.handshakeMaxVersion < 0) {
    throw new UnsupportedFeatureError(
      "the broker has no SaslHandshake API (Kafka < 0.10.0): SASL PLAIN and SCRAM are not available",
    );
  }
  const at = channel.where ? ` (${channel.where})` : "";
  const useAuthenticate = channel.handshakeMaxVersion >= 1 &&
    channel.authenticateMaxVersion >= 0;
  const hs = await channel.handshake(
    useAuthenticate ? 1 : 0,
    config.mechanism,
  );
  if (hs.errorCode !== 0) {
    throw new SaslAuthenticationError(
      `SASL mechanism ${config.mechanism} is not enabled on the listener (enabled: ${
        hs.mechanisms.join(", ") || "none"
      })${at}`,
      { cause: errorForCode(hs.errorCode) },
    );
  }
  const exchange = config.mechanism === "PLAIN"
    ? plainExchange(config)
    : scramExchange(config);
  let token: Uint8Array | null = exchange.first();
  let sessionLifetimeMs = 0;
  if (useAuthenticate) {
    const version = Math.min(channel.authenticateMaxVersion, 2);
    while (token !== null) {
      const res = await channel.authenticate(version, token);
      if (res.errorCode !== 0) {
        throw new SaslAuthenticationError(
          `SASL ${config.mechanism} authentication of ${
            JSON.stringify(config.username)
          } failed: ${
            res.errorMessage ?? errorForCode(res.errorCode).message
          }${at}`,
          { cause: errorForCode(res.errorCode, res.errorMessage ?? undefined) },
        );
      }
      sessionLifetimeMs = res.sessionLifetimeMs;
      token = await exchange.next(res.authBytes);
    }
  } else {
    // Legacy framing: the broker closes the connection on failure, with
    // no error message.
    try {
      while (token !== null) {
        const server = await channel.rawToken(token);
        token = await exchange.next(server);
      }
    } catch (e) {
      if (e instanceof SocketDisconnectedError) {
        throw new SaslAuthenticationError(
          `SASL ${config.mechanism} authentication of ${
            JSON.stringify(config.username)
          } failed: the broker closed the connection (legacy SaslHandshake v0 gives no reason)${at}`,
          { cause: e },
        );
      }
      throw e;
    }
  }
  return {
    mechanism: config.mechanism,
    authenticateApi: useAuthenticate,
    sessionLifetimeMs,
  };
}
