import assert from "node:assert/strict";
import { SaslAuthenticationError } from "../errors/mod.ts";
import { escapeSaslName, ScramClient } from "./scram.ts";

// RFC 7677 §3: SCRAM-SHA-256, user "user", password "pencil".
const RFC7677 = {
  nonce: "rOprNGfwEbeRWgbNEkqO",
  clientFirst: "n,,n=user,r=rOprNGfwEbeRWgbNEkqO",
  serverFirst:
    "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
  clientFinal:
    "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
  serverFinal: "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=",
};

// RFC 5802 §5: SCRAM-SHA-1, same credentials.
const RFC5802 = {
  nonce: "fyko+d2lbbFgONRv9qkxdawL",
  clientFirst: "n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL",
  serverFirst:
    "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096",
  clientFinal:
    "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",
  serverFinal: "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=",
};

Deno.test("SCRAM-SHA-256 reproduces RFC 7677's exchange byte for byte", async () => {
  const c = new ScramClient({
    hash: "SHA-256",
    username: "user",
    password: "pencil",
    nonce: RFC7677.nonce,
  });
  assert.equal(c.clientFirst(), RFC7677.clientFirst);
  assert.equal(await c.clientFinal(RFC7677.serverFirst), RFC7677.clientFinal);
  assert.equal(c.complete, false);
  c.verifyServerFinal(RFC7677.serverFinal);
  assert.equal(c.complete, true);
});

Deno.test("SCRAM-SHA-1 reproduces RFC 5802's exchange (message structure)", async () => {
  const c = new ScramClient({
    hash: "SHA-1",
    username: "user",
    password: "pencil",
    nonce: RFC5802.nonce,
  });
  assert.equal(c.clientFirst(), RFC5802.clientFirst);
  assert.equal(await c.clientFinal(RFC5802.serverFirst), RFC5802.clientFinal);
  c.verifyServerFinal(RFC5802.serverFinal);
  assert.equal(c.complete, true);
});

Deno.test("SCRAM rejects a wrong server signature", async () => {
  const c = new ScramClient({
    hash: "SHA-256",
    username: "user",
    password: "pencil",
    nonce: RFC7677.nonce,
  });
  await c.clientFinal(RFC7677.serverFirst);
  assert.throws(
    () => c.verifyServerFinal("v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="),
    (e) =>
      e instanceof SaslAuthenticationError &&
      /signature is wrong/.test(e.message),
  );
  assert.equal(c.complete, false);
});

Deno.test("SCRAM with a wrong password produces a different proof and fails the server signature", async () => {
  const c = new ScramClient({
    hash: "SHA-256",
    username: "user",
    password: "pencil2",
    nonce: RFC7677.nonce,
  });
  const final = await c.clientFinal(RFC7677.serverFirst);
  assert.notEqual(final, RFC7677.clientFinal);
  assert.throws(
    () => c.verifyServerFinal(RFC7677.serverFinal),
    SaslAuthenticationError,
  );
});

Deno.test("SCRAM checks the server's nonce, iterations, errors and message shape", async () => {
  const mk = () =>
    new ScramClient({
      hash: "SHA-256",
      username: "u",
      password: "p",
      nonce: "abc",
    });
  const cases: Array<[string, RegExp]> = [
    ["r=xyz123,s=c2FsdA==,i=4096", /nonce does not extend/],
    ["r=abc,s=c2FsdA==,i=4096", /nonce does not extend/],
    ["r=abcdef,s=c2FsdA==,i=0", /iteration count 0/],
    ["r=abcdef,s=c2FsdA==,i=99999999", /iteration count/],
    ["r=abcdef,s=c2FsdA==,i=12x", /bad iteration count/],
    ["r=abcdef,s=c2FsdA==", /lacks r, s or i/],
    ["r=abcdef,s=!!!,i=4096", /salt is not valid base64/],
    ["e=unknown-user", /server error: unknown-user/],
    ["m=ext,r=abcdef,s=c2FsdA==,i=4096", /mandatory extension/],
    ["garbage", /malformed/],
  ];
  for (const [msg, re] of cases) {
    await assert.rejects(mk().clientFinal(msg), (e) => {
      assert.ok(e instanceof SaslAuthenticationError, `${msg}: ${e}`);
      assert.match((e as Error).message, re, msg);
      return true;
    });
  }
  const c = mk();
  assert.throws(() => c.verifyServerFinal("v=AAAA"), /before server-first/);
  await c.clientFinal("r=abcdef,s=c2FsdA==,i=4096");
  assert.throws(
    () => c.verifyServerFinal("e=invalid-proof"),
    /server error: invalid-proof/,
  );
  assert.throws(() => c.verifyServerFinal("x=1"), /lacks a signature/);
});

Deno.test("SCRAM escapes '=' and ',' in user names and makes random nonces", () => {
  assert.equal(escapeSaslName("a=b,c"), "a=3Db=2Cc");
  const a = new ScramClient({
    hash: "SHA-512",
    username: "a=b,c",
    password: "x",
  });
  const b = new ScramClient({
    hash: "SHA-512",
    username: "a=b,c",
    password: "x",
  });
  assert.match(a.clientFirst(), /^n,,n=a=3Db=2Cc,r=[A-Za-z0-9+/=]{32}$/);
  assert.notEqual(a.clientFirst(), b.clientFirst());
});
