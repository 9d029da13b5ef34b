// Decrypts password-protected private keys in PKCS#8 "ENCRYPTED PRIVATE KEY"
// form (PBES2 = PBKDF2 + AES-CBC, RFC 8018) with WebCrypto, because Deno's TLS
// (rustls) only takes unencrypted PEM keys. This is what `openssl genpkey
// -aes256`, `openssl pkcs8 -topk8 -v2 aes-256-cbc` and keytool exports give.
// Legacy forms (OpenSSL's "Proc-Type: 4,ENCRYPTED" headers, PBES1, PKCS#12
// PBE, 3DES) are refused with an explanation of how to convert the key.
import { KafkaError, UnsupportedFeatureError } from "../errors/mod.ts";
import { decodeBase64, encodeBase64 } from "../util/base64.ts";

/** A DER TLV: tag, and the value's bounds in the buffer. */
interface Tlv {
  tag: number;
  start: number;
  end: number;
}

class DerError extends Error {}

function readTlv(buf: Uint8Array, pos: number, limit: number): Tlv {
  if (pos + 2 > limit) throw new DerError("truncated DER");
  const tag = buf[pos];
  let len = buf[pos + 1];
  let p = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || p + n > limit) throw new DerError("bad DER length");
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p + i];
    p += n;
  }
  if (p + len > limit) throw new DerError("DER value overruns its parent");
  return { tag, start: p, end: p + len };
}

/** The children of a constructed TLV. */
function children(buf: Uint8Array, tlv: Tlv): Tlv[] {
  const out: Tlv[] = [];
  let p = tlv.start;
  while (p < tlv.end) {
    const c = readTlv(buf, p, tlv.end);
    out.push(c);
    p = c.end;
  }
  return out;
}

function expectTag(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (!t || t.tag !== tag) throw new DerError(`expected ${what}`);
  return t;
}

function oid(buf: Uint8Array, t: Tlv | undefined): string {
  const o = expectTag(t, 0x06, "an OBJECT IDENTIFIER");
  const parts: number[] = [];
  let v = 0;
  for (let i = o.start; i < o.end; i++) {
    v = v * 128 + (buf[i] & 0x7f);
    if (!(buf[i] & 0x80)) {
      if (parts.length === 0) {
        const first = v < 80 ? Math.floor(v / 40) : 2;
        parts.push(first, v - first * 40);
      } else parts.push(v);
      v = 0;
    }
  }
  return parts.join(".");
}

function integer(buf: Uint8Array, t: Tlv | undefined): number {
  const i = expectTag(t, 0x02, "an INTEGER");
  if (i.end - i.start > 6) throw new DerError("INTEGER too large");
  let v = 0;
  for (let p = i.start; p < i.end; p++) v = v * 256 + buf[p];
  return v;
}

const PBES2 = "1.2.840.113549.1.5.13";
const PBKDF2 = "1.2.840.113549.1.5.12";
const PRF: Record<string, string> = {
  "1.2.840.113549.2.7": "SHA-1",
  "1.2.840.113549.2.9": "SHA-256",
  "1.2.840.113549.2.10": "SHA-384",
  "1.2.840.113549.2.11": "SHA-512",
};
const AES_CBC: Record<string, number> = {
  "2.16.840.1.101.3.4.1.2": 16,
  "2.16.840.1.101.3.4.1.22": 24,
  "2.16.840.1.101.3.4.1.42": 32,
};
const CONVERT_HINT =
  "convert the key to an unencrypted PKCS#8 key (`openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-plain.pem`) " +
  "or to PBES2/AES (`openssl pkcs8 -topk8 -v2 aes-256-cbc -in key.pem -out key-enc.pem`)";

function pemBody(pem: string, label: string): Uint8Array | null {
  const re = new RegExp(
    `-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`,
  );
  const m = re.exec(pem);
  if (!m) return null;
  return decodeBase64(m[1], (cause) =>
    new UnsupportedFeatureError(
      `the ${label} PEM block is not valid base64`,
      { cause },
    ));
}

function toPem(der: Uint8Array, label: string): string {
  const b64 = encodeBase64(der);
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${
    lines.join("\n")
  }\n-----END ${label}-----\n`;
}

/** True when the PEM text holds an encrypted private key of any known form. */
export function isEncryptedKey(pem: string): boolean {
  return pem.includes("-----BEGIN ENCRYPTED PRIVATE KEY-----") ||
    /Proc-Type:\s*4,\s*ENCRYPTED/.test(pem);
}

/**
 * Decrypts an encrypted private key and returns it as unencrypted PKCS#8
 * PEM ("PRIVATE KEY"). Throws {@linkcode UnsupportedFeatureError} for a
 * format WebCrypto cannot decrypt, saying how to convert the key, and a
 * `KafkaError` for a wrong password.
 */
export async function decryptPrivateKey(
  pem: string,
  password: string,
): Promise<string> {
  if (/Proc-Type:\s*4,\s*ENCRYPTED/.test(pem)) {
    throw new UnsupportedFeatureError(
      "the private key uses OpenSSL's legacy PEM encryption (Proc-Type: 4,ENCRYPTED, MD5-based key derivation), " +
        `which WebCrypto cannot decrypt; ${CONVERT_HINT}`,
    );
  }
  const der = pemBody(pem, "ENCRYPTED PRIVATE KEY");
  if (der === null) {
    throw new UnsupportedFeatureError(
      "no -----BEGIN ENCRYPTED PRIVATE KEY----- block found in the key",
    );
  }
  let salt: Uint8Array, iterations: number, prf: string, iv: Uint8Array;
  let keyBytes: number, data: Uint8Array;
  try {
    const top = expectTag(readTlv(der, 0, der.length), 0x30, "a SEQUENCE");
    const [algId, enc] = children(der, top);
    data = der.subarray(
      expectTag(enc, 0x04, "an OCTET STRING").start,
      enc.end,
    );
    const [algOid, params] = children(
      der,
      expectTag(algId, 0x30, "an AlgorithmIdentifier"),
    );
    const scheme = oid(der, algOid);
    if (scheme !== PBES2) {
      throw new UnsupportedFeatureError(
        `the private key is encrypted with scheme ${scheme} (PBES1 or PKCS#12), which WebCrypto cannot decrypt; ${CONVERT_HINT}`,
      );
    }
    const [kdf, encScheme] = children(
      der,
      expectTag(params, 0x30, "PBES2 parameters"),
    );
    const [kdfOid, kdfParams] = children(
      der,
      expectTag(kdf, 0x30, "a key derivation AlgorithmIdentifier"),
    );
    const kdfName = oid(der, kdfOid);
    if (kdfName !== PBKDF2) {
      throw new UnsupportedFeatureError(
        `the private key uses key derivation ${kdfName} (e.g. scrypt), which WebCrypto cannot run; ${CONVERT_HINT}`,
      );
    }
    const kp = children(der, expectTag(kdfParams, 0x30, "PBKDF2 parameters"));
    const saltTlv = expectTag(kp[0], 0x04, "a PBKDF2 salt");
    salt = der.subarray(saltTlv.start, saltTlv.end);
    iterations = integer(der, kp[1]);
    prf = "SHA-1";
    let explicitKeyLength: number | undefined;
    for (const extra of kp.slice(2)) {
      if (extra.tag === 0x02) explicitKeyLength = integer(der, extra);
      else if (extra.tag === 0x30) {
        const prfOid = oid(der, children(der, extra)[0]);
        const p = PRF[prfOid];
        if (!p) {
          throw new UnsupportedFeatureError(
            `the private key uses PBKDF2 PRF ${prfOid}, which WebCrypto does not offer; ${CONVERT_HINT}`,
          );
        }
        prf = p;
      }
    }
    const [cipherOid, ivTlv] = children(
      der,
      expectTag(encScheme, 0x30, "an encryption scheme"),
    );
    const cipher = oid(der, cipherOid);
    const size = AES_CBC[cipher];
    if (!size) {
      throw new UnsupportedFeatureError(
        `the private key is encrypted with cipher ${cipher} (e.g. 3DES), which WebCrypto does not offer; ${CONVERT_HINT}`,
      );
    }
    keyBytes = explicitKeyLength ?? size;
    if (keyBytes !== size) {
      throw new DerError("key length does not match cipher");
    }
    const ivT = expectTag(ivTlv, 0x04, "an IV");
    iv = der.subarray(ivT.start, ivT.end);
    if (iv.length !== 16) throw new DerError("AES-CBC IV must be 16 bytes");
    if (iterations < 1 || iterations > 10_000_000) {
      throw new DerError(`PBKDF2 iteration count ${iterations} out of range`);
    }
  } catch (e) {
    if (e instanceof DerError) {
      throw new UnsupportedFeatureError(
        `cannot parse the encrypted private key (${e.message})`,
        { cause: e },
      );
    }
    throw e;
  }
  const base = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(password),
    "PBKDF2",
    false,
    ["deriveKey"],
  );
  const aes = await crypto.subtle.deriveKey(
    {
      name: "PBKDF2",
      hash: prf,
      salt: salt as Uint8Array<ArrayBuffer>,
      iterations,
    },
    base,
    { name: "AES-CBC", length: keyBytes * 8 },
    false,
    ["decrypt"],
  );
  let plain: Uint8Array;
  try {
    plain = new Uint8Array(
      await crypto.subtle.decrypt(
        { name: "AES-CBC", iv: iv as Uint8Array<ArrayBuffer> },
        aes,
        data as Uint8Array<ArrayBuffer>,
      ),
    );
    // The plaintext must be one DER SEQUENCE filling the buffer exactly:
    // a wrong password that happens to yield valid padding fails here.
    const seq = readTlv(plain, 0, plain.length);
    if (seq.tag !== 0x30 || seq.end !== plain.length) {
      throw new DerError("decrypted data is not a PrivateKeyInfo");
    }
  } catch (cause) {
    throw new KafkaError(
      "cannot decrypt the private key: wrong password (sslConfig.password) or corrupt key",
      { cause },
    );
  }
  return toPem(plain, "PRIVATE KEY");
}
