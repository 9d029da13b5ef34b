// Internal: tells a TLS failure that connecting again will not change (an
// untrusted or wrong certificate, a refused client certificate, no common
// protocol version or cipher) from a dropped connection, for the runtimes'
// TLS stacks: rustls under Deno ("invalid peer certificate: UnknownIssuer",
// "received fatal alert: BadCertificate", "peer is incompatible: ...") and
// OpenSSL under node:tls (error codes such as
// UNABLE_TO_VERIFY_LEAF_SIGNATURE, ERR_TLS_CERT_ALTNAME_INVALID,
// ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED, and their messages).
import { errorText } from "../util/error_text.ts";

const TEXT =
  /invalid peer certificate|fatal alert|peer is incompatible|certificate|unknown ca|handshake failure|no shared cipher|unsupported protocol|no protocols available|wrong version number|altnames|self[- ]signed/i;
const CODE = /CERT|^ERR_SSL_|^ERR_TLS_|^UNABLE_TO_|SELF_SIGNED|^DEPTH_ZERO/;

/**
 * True when `error` (or an error in its `cause` chain) is a TLS rejection
 * that a new connection would meet again.
 */
export function isTlsRejection(error: unknown): boolean {
  for (let e = error, i = 0; e !== undefined && e !== null && i < 8; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && CODE.test(code)) return true;
    if (TEXT.test(e instanceof Error ? e.message : errorText(e))) return true;
    e = e instanceof Error ? e.cause : undefined;
  }
  return false;
}
