import assert from "node:assert/strict";
import { KafkaError, UnsupportedFeatureError } from "../errors/mod.ts";
import { decryptPrivateKey, isEncryptedKey } from "./_pkcs8.ts";

const dir = new URL("../../tests/network/testdata/", import.meta.url);
const read = (name: string) => Deno.readTextFile(new URL(name, dir));
const PASSWORD = "test-pass";

for (
  const name of [
    "key_aes256_sha256.pem",
    "key_aes128_sha1.pem",
    "key_aes192_sha512.pem",
  ]
) {
  Deno.test(`decrypts a PBES2 key: ${name}`, async () => {
    const enc = await read(name);
    assert.ok(isEncryptedKey(enc));
    const plain = await decryptPrivateKey(enc, PASSWORD);
    assert.equal(plain, await read("key_plain.pem"));
    assert.equal(isEncryptedKey(plain), false);
  });
}

Deno.test("a wrong key password gives a clear KafkaError", async () => {
  await assert.rejects(
    decryptPrivateKey(await read("key_aes256_sha256.pem"), "wrong"),
    (e) =>
      e instanceof KafkaError && !(e instanceof UnsupportedFeatureError) &&
      /wrong password/.test(e.message),
  );
});

for (
  const [name, re] of [
    ["key_pbes1_3des.pem", /PBES1 or PKCS#12/],
    ["key_pbes2_3des.pem", /3DES/],
    ["key_scrypt.pem", /scrypt/],
    ["key_traditional.pem", /legacy PEM encryption/],
  ] as const
) {
  Deno.test(`an encryption WebCrypto lacks is refused with advice: ${name}`, async () => {
    const enc = await read(name);
    assert.ok(isEncryptedKey(enc));
    await assert.rejects(decryptPrivateKey(enc, PASSWORD), (e) => {
      assert.ok(e instanceof UnsupportedFeatureError, String(e));
      assert.match(e.message, re);
      assert.match(e.message, /openssl pkcs8 -topk8/);
      return true;
    });
  });
}

Deno.test("a corrupt encrypted key is refused, not crashed on", async () => {
  const enc = await read("key_aes256_sha256.pem");
  const lines = enc.trim().split("\n");
  const broken = [lines[0], lines[1].slice(0, 20), lines.at(-1)].join("\n");
  await assert.rejects(
    decryptPrivateKey(broken, PASSWORD),
    (e) =>
      e instanceof UnsupportedFeatureError && /cannot parse/.test(e.message),
  );
  await assert.rejects(
    decryptPrivateKey("no pem here", PASSWORD),
    UnsupportedFeatureError,
  );
});
