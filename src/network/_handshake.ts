// What a new connection does before its first request: API version
// negotiation (ApiVersions, highest version first, or a legacy release's
// fixed table), `brokerVersion: "auto"` detection of pre-0.10 brokers (only
// a broker that closes the connection on ApiVersions, as 0.8.x does; one
// that does not answer in time is a `RequestTimeoutError`, never a silent
// downgrade), and SASL authentication over the connection.
// `BrokerConnection.connect` runs it on a fresh connection.

import {
  errorForCode,
  ProtocolError,
  RequestTimeoutError,
  UnsupportedFeatureError,
} from "../errors/mod.ts";
import {
  type ApiMessage,
  ApiVersions,
  type ApiVersionsResponse,
  type Reader,
  SaslAuthenticate,
  SaslHandshake,
} from "../protocol/mod.ts";
import {
  ApiVersionTable,
  type BrokerVersion,
  isLegacyRelease,
} from "./api_versions.ts";
import {
  authenticateSasl,
  type SaslChannel,
  type SaslConfig,
  type SaslSession,
} from "./sasl.ts";

/**
 * Thrown by {@linkcode negotiate} when `brokerVersion: "auto"` decided the
 * broker is a legacy release: the caller reconnects with that release.
 */
export class LegacyFallback extends Error {
  constructor(readonly release: string, readonly why: string) {
    super(why);
  }
}

/** What the handshake needs of the connection it runs on. */
export interface HandshakeLink {
  /** Where the connection goes, for messages. */
  readonly where: string;
  /** The peer ended the stream cleanly (EOF between frames). */
  readonly peerClosed: boolean;
  /** Sends one request at `version` (`BrokerConnection.send`). */
  send<Req, Res>(
    api: ApiMessage<Req, Res>,
    request: Req,
    options: { version: number; signal?: AbortSignal },
  ): Promise<Res>;
  /** Sends one request at `version` and decodes the body with `decodeBody`. */
  request<Req, Res, T>(
    api: ApiMessage<Req, Res>,
    request: Req,
    version: number,
    options: { timeoutMs?: number; signal?: AbortSignal },
    decodeBody: (r: Reader, frame: Uint8Array) => T,
  ): Promise<T>;
  /** Sends a raw token (legacy SASL) and resolves with the next raw frame. */
  rawRequest(token: Uint8Array, signal?: AbortSignal): Promise<Uint8Array>;
}

/** The connection options the handshake reads. */
export interface HandshakeOptions {
  /** SASL credentials, when the connection authenticates. */
  sasl?: SaslConfig;
  /** Set when the connection speaks TLS. */
  tls: boolean;
  /** How long ApiVersions may take. */
  apiVersionsTimeoutMs: number;
  /** Whether a close on ApiVersions may mean a 0.8 broker. */
  legacyDetection: boolean;
  /** Aborts the handshake. */
  signal?: AbortSignal;
  /** Client name and version reported in ApiVersions v3+ (KIP-511). */
  clientSoftware: { name: string; version: string };
}

/** What the handshake settled. */
export interface Negotiated {
  /** The API versions both sides speak. */
  versions: ApiVersionTable;
  /** The SASL session, when the connection authenticated. */
  sasl?: SaslSession;
  /** When it authenticated (ms since the epoch), 0 without SASL. */
  authenticatedAt: number;
}

/**
 * Negotiates versions and authenticates. Below 0.10.0 the release's fixed
 * table is used and ApiVersions never sent (SASL is then refused). With
 * `"auto"`, a plain connection without SASL whose broker closes it on
 * ApiVersions throws {@linkcode LegacyFallback}; a broker that does not
 * answer within `apiVersionsTimeoutMs` is a `RequestTimeoutError` (a busy
 * modern broker is not taken for 0.9).
 *
 * @param detection how an earlier attempt detected a legacy release, for messages
 */
export async function negotiate(
  link: HandshakeLink,
  brokerVersion: BrokerVersion,
  o: HandshakeOptions,
  detection: string,
): Promise<Negotiated> {
  if (brokerVersion !== "auto" && isLegacyRelease(brokerVersion)) {
    if (o.sasl) {
      throw new UnsupportedFeatureError(
        `SASL ${o.sasl.mechanism} needs Kafka 0.10.0 or later (SCRAM 0.10.2); brokerVersion is ${brokerVersion}${
          detection ? ` (${detection})` : ""
        }`,
      );
    }
    return {
      versions: ApiVersionTable.forRelease(brokerVersion),
      authenticatedAt: 0,
    };
  }
  const auto = brokerVersion === "auto";
  let apiKeys;
  try {
    apiKeys = await apiVersions(
      link,
      o.apiVersionsTimeoutMs,
      o.signal,
      o.clientSoftware,
    );
  } catch (e) {
    // No answer in time is a timeout, whatever the broker is: a busy or
    // stalled modern broker must not be taken for 0.9 and talked to in
    // 2015-era versions. 0.9.x brokers are used by pinning brokerVersion.
    if (e instanceof RequestTimeoutError) {
      throw new RequestTimeoutError(
        `${link.where} did not answer ApiVersions within ${o.apiVersionsTimeoutMs} ms${
          auto
            ? ' (a Kafka 0.9 broker never answers it: set brokerVersion: "0.9.0" for one)'
            : ""
        }`,
        { cause: e },
      );
    }
    // Only a plain connection without SASL can be a pre-0.10 broker
    // talking: 0.8.x has no TLS, and neither 0.8 nor 0.9 has SASL PLAIN or
    // SCRAM. With TLS or SASL the failure is reported as it is.
    if (auto && o.legacyDetection && !o.sasl && !o.tls && link.peerClosed) {
      throw new LegacyFallback(
        "0.8.2",
        "brokerVersion auto-detected as 0.8.2: the broker closed the connection on ApiVersions",
      );
    }
    throw e;
  }
  const versions = ApiVersionTable.fromBroker(apiKeys, {
    release: auto ? undefined : brokerVersion,
  });
  if (!o.sasl) return { versions, authenticatedAt: 0 };
  const sasl = await authenticateSasl(
    saslChannel(link, versions, o.signal),
    o.sasl,
  );
  return { versions, sasl, authenticatedAt: Date.now() };
}

/** ApiVersions, highest version first; on UNSUPPORTED_VERSION, the broker's max. */
async function apiVersions(
  link: HandshakeLink,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  clientSoftware: { name: string; version: string },
): Promise<ApiVersionsResponse["apiKeys"]> {
  let version = ApiVersions.maxVersion;
  for (let attempt = 0; attempt < 4; attempt++) {
    const res = await link.request(
      ApiVersions,
      {
        clientSoftwareName: clientSoftware.name,
        clientSoftwareVersion: clientSoftware.version,
      },
      version,
      { timeoutMs, signal },
      // An unsupported ApiVersions version is answered in v0 format.
      (r, frame) => {
        // Response header v0 (4 bytes), then ErrorCode in every version.
        const errorCode = frame.length >= 6
          ? ((frame[4] << 24) >> 16) | frame[5]
          : 0;
        return ApiVersions.decodeResponse(r, errorCode === 35 ? 0 : version);
      },
    );
    if (res.errorCode === 35) {
      const own = res.apiKeys.find((k) => k.apiKey === ApiVersions.apiKey);
      const next = own ? Math.min(own.maxVersion, version - 1) : 0;
      if (version === 0) break;
      version = Math.max(0, next);
      continue;
    }
    if (res.errorCode !== 0) {
      throw errorForCode(
        res.errorCode,
        `ApiVersions v${version} to ${link.where} failed`,
      );
    }
    return res.apiKeys;
  }
  throw new ProtocolError(
    `${link.where} refused every ApiVersions version`,
  );
}

/** SaslHandshake / SaslAuthenticate / raw tokens over the connection. */
function saslChannel(
  link: HandshakeLink,
  v: ApiVersionTable,
  signal: AbortSignal | undefined,
): SaslChannel {
  return {
    handshakeMaxVersion: Math.min(
      v.range(SaslHandshake.apiKey)?.max ?? -1,
      SaslHandshake.maxVersion,
    ),
    authenticateMaxVersion: Math.min(
      v.range(SaslAuthenticate.apiKey)?.max ?? -1,
      SaslAuthenticate.maxVersion,
    ),
    handshake: async (version, mechanism) => {
      const r = await link.send(SaslHandshake, { mechanism }, {
        version,
        signal,
      });
      return { errorCode: r.errorCode, mechanisms: r.mechanisms };
    },
    authenticate: async (version, authBytes) => {
      const r = await link.send(SaslAuthenticate, { authBytes }, {
        version,
        signal,
      });
      return {
        errorCode: r.errorCode,
        errorMessage: r.errorMessage,
        authBytes: r.authBytes,
        sessionLifetimeMs: r.sessionLifetimeMs ?? 0,
      };
    },
    rawToken: (token) => link.rawRequest(token, signal),
    where: link.where,
  };
}
