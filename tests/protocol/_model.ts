// Test helpers over the code generator's model of the specs: the messages,
// their default values, and fast-check arbitraries of valid values per version.
import fc from "fast-check";
import {
  APIS,
  DATA_SCHEMAS,
  type FieldModel,
  loadMessage,
  type MessageModel,
  type Prim,
  type StructModel,
} from "../../tools/codegen/model.ts";
import * as protocol from "../../src/protocol/mod.ts";
import type { ApiMessage, DataSchema } from "../../src/protocol/mod.ts";

export const SPECS_DIR: string = Deno.env.get("KAFKA_SPECS_DIR") ??
  new URL("../../tools/codegen/specs", import.meta.url).pathname;

export interface ApiCase {
  name: string;
  api: ApiMessage<unknown, unknown>;
  request: MessageModel;
  response: MessageModel;
}

export interface DataCase {
  name: string;
  schema: DataSchema<unknown>;
  model: MessageModel;
}

const exported = protocol as unknown as Record<string, unknown>;

/** Every generated API with the model of its request and response. */
export function apiCases(): ApiCase[] {
  return APIS.map((name) => {
    const request = loadMessage(SPECS_DIR, `${name}Request`);
    const response = loadMessage(
      SPECS_DIR,
      `${name}Response`,
      request.universe[request.universe.length - 1],
    );
    return {
      name,
      api: exported[name] as ApiMessage<unknown, unknown>,
      request,
      response,
    };
  });
}

/** Every generated data schema with its model. */
export function dataCases(): DataCase[] {
  return DATA_SCHEMAS.map((name) => ({
    name,
    schema: exported[`${name}Schema`] as DataSchema<unknown>,
    model: loadMessage(SPECS_DIR, name),
  }));
}

export type Obj = Record<string, unknown>;

function intDefault(raw: string): number {
  if (raw === "") return 0;
  if (raw === "9223372036854775807") return 2 ** 63;
  if (raw === "-9223372036854775808") return -(2 ** 63);
  return Number(BigInt(raw.startsWith("-0x") ? "-" + raw.slice(1) : raw));
}

/** The value a decoder gives a field the version lacks. */
export function defaultValue(f: FieldModel): unknown {
  const d = f.defaultRaw;
  const t = f.type;
  if (t.kind === "array") return d === "null" ? null : [];
  if (t.kind === "struct") {
    return d === "null" ? null : defaultStruct(t.struct);
  }
  switch (t.prim) {
    case "bool":
      return d.toLowerCase() === "true";
    case "string":
      return d === "null" ? null : d;
    case "bytes":
      return d === "null" ? null : new Uint8Array(0);
    case "records":
      return null;
    case "uuid":
      return d === "" ? protocol.ZERO_UUID : d;
    case "float64":
      return d === "" ? 0 : Number(d);
    default:
      return intDefault(d);
  }
}

export function defaultStruct(s: StructModel): Obj {
  const o: Obj = {};
  for (const f of s.fields) o[f.prop] = defaultValue(f);
  return o;
}

function uuidText(b: Uint8Array): string {
  return btoa(String.fromCharCode(...b)).replace(/\+/g, "-").replace(
    /\//g,
    "_",
  ).replace(/=+$/, "");
}

function primArb(p: Prim): fc.Arbitrary<unknown> {
  switch (p) {
    case "bool":
      return fc.boolean();
    case "int8":
      return fc.integer({ min: -128, max: 127 });
    case "int16":
      return fc.integer({ min: -32768, max: 32767 });
    case "uint16":
      return fc.integer({ min: 0, max: 65535 });
    case "int32":
      return fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
    case "uint32":
      return fc.integer({ min: 0, max: 2 ** 32 - 1 });
    case "int64":
      return fc.oneof(
        fc.integer({ min: -5, max: 5 }),
        fc.maxSafeInteger(),
      );
    case "float64":
      return fc.double();
    case "string":
      return fc.string({ unit: "grapheme", maxLength: 12 });
    case "bytes":
    case "records":
      return fc.uint8Array({ maxLength: 24 });
    case "uuid":
      return fc.uint8Array({ minLength: 16, maxLength: 16 }).map(uuidText);
  }
}

/**
 * Values of `s` to encode at version `v`: every field the version has gets a
 * random valid value; a field it lacks is left out, set to its default, or
 * (when ignorable) set to anything (it must be dropped).
 */
export function structArb(
  s: StructModel,
  v: number,
  depth = 0,
): fc.Arbitrary<Obj> {
  const rec: Record<string, fc.Arbitrary<unknown>> = {};
  for (const f of s.fields) {
    if (f.versions.includes(v)) {
      rec[f.prop] = fieldArb(f, v, depth);
    } else {
      const choices: fc.Arbitrary<unknown>[] = [
        fc.constant(undefined),
        fc.constant(defaultValue(f)),
      ];
      if (f.ignorable && depth < 3) choices.push(anyValueArb(f, depth));
      rec[f.prop] = fc.oneof(...choices);
    }
  }
  return fc.record(rec).map((o) => {
    for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
    return o;
  });
}

/** Some valid value of the field's type (for a version that lacks it). */
function anyValueArb(f: FieldModel, depth: number): fc.Arbitrary<unknown> {
  const v = f.versions[f.versions.length - 1];
  return fieldArb(f, v, depth + 1);
}

function fieldArb(
  f: FieldModel,
  v: number,
  depth: number,
): fc.Arbitrary<unknown> {
  const t = f.type;
  let base: fc.Arbitrary<unknown>;
  if (t.kind === "prim") base = primArb(t.prim);
  else if (t.kind === "struct") base = structArb(t.struct, v, depth + 1);
  else {
    const el = t.elem.kind === "prim"
      ? primArb(t.elem.prim)
      : structArb(t.elem.struct, v, depth + 1);
    base = fc.array(el, { maxLength: depth < 2 ? 3 : 1 });
  }
  return f.nullable.includes(v) ? fc.option(base, { nil: null }) : base;
}

/** What decoding the encoding of `m` at `v` gives: lacking fields take their defaults. */
export function expected(s: StructModel, v: number, m: Obj): Obj {
  const o: Obj = {};
  for (const f of s.fields) {
    if (!f.versions.includes(v)) {
      o[f.prop] = defaultValue(f);
      continue;
    }
    const x = m[f.prop];
    const t = f.type;
    if (x === undefined) o[f.prop] = defaultValue(f);
    else if (x === null) o[f.prop] = null;
    else if (t.kind === "struct") o[f.prop] = expected(t.struct, v, x as Obj);
    else if (t.kind === "array" && t.elem.kind === "struct") {
      const st = t.elem.struct;
      o[f.prop] = (x as Obj[]).map((e) => expected(st, v, e));
    } else o[f.prop] = x;
  }
  return o;
}
