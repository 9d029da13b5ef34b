// Loads Kafka's JSON message specs and builds the model the emitter works
// from: for each message, the union of the versions Kafka 4.1 lists (stable
// ones only) and the older versions only Kafka 3.9 still lists, with every
// field's presence, nullability and taggedness as version sets.
import {
  intersect,
  OPEN,
  parseVersions,
  union,
  type VSet,
  within,
} from "./versions.ts";

/** One field as written in a spec file. */
export interface RawField {
  name: string;
  type: string;
  versions?: string;
  nullableVersions?: string;
  taggedVersions?: string;
  tag?: number;
  default?: string | number | boolean;
  ignorable?: boolean;
  flexibleVersions?: string;
  about?: string;
  fields?: RawField[];
}

/** One spec file. */
export interface RawSpec {
  apiKey?: number;
  type: string;
  name: string;
  validVersions: string;
  flexibleVersions: string;
  latestVersionUnstable?: boolean;
  fields: RawField[];
  commonStructs?: { name: string; versions?: string; fields: RawField[] }[];
}

export type Prim =
  | "bool"
  | "int8"
  | "int16"
  | "uint16"
  | "int32"
  | "uint32"
  | "int64"
  | "float64"
  | "string"
  | "bytes"
  | "records"
  | "uuid";

const PRIMS = new Set<string>([
  "bool",
  "int8",
  "int16",
  "uint16",
  "int32",
  "uint32",
  "int64",
  "float64",
  "string",
  "bytes",
  "records",
  "uuid",
]);

export type FieldType =
  | { kind: "prim"; prim: Prim }
  | { kind: "struct"; struct: StructModel }
  | {
    kind: "array";
    elem: { kind: "prim"; prim: Prim } | {
      kind: "struct";
      struct: StructModel;
    };
  };

export interface FieldModel {
  /** Spec name, e.g. "ThrottleTimeMs". */
  jsonName: string;
  /** TypeScript property, e.g. "throttleTimeMs". */
  prop: string;
  about: string;
  type: FieldType;
  /** Versions in which the field is on the wire (tagged or not). */
  versions: VSet;
  nullable: VSet;
  tagged: VSet;
  tag: number | null;
  /** The spec's default string ("" when none). */
  defaultRaw: string;
  ignorable: boolean;
}

export interface StructModel {
  /** TypeScript interface name. */
  tsName: string;
  about: string;
  fields: FieldModel[];
  /** Versions in which the struct occurs. */
  versions: VSet;
}

export interface MessageModel {
  /** "MetadataRequest", "ConsumerProtocolSubscription". */
  specName: string;
  /** "Metadata" for APIs, the spec name for data schemas. */
  apiName: string;
  kind: "request" | "response" | "data";
  apiKey: number;
  /** Every version this library handles, ascending. */
  universe: VSet;
  flexible: VSet;
  root: StructModel;
  /** Every struct, root last, dependencies first. */
  structs: StructModel[];
  /** Which spec version sets where each version came from (for docs). */
  sources: { version: string; versions: VSet }[];
}

export function readSpec(path: string): RawSpec {
  const text = Deno.readTextFileSync(path);
  return JSON.parse(text.replace(/^\s*\/\/.*$/gm, "")) as RawSpec;
}

function tryReadSpec(path: string): RawSpec | null {
  try {
    return readSpec(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

function camel(name: string): string {
  return name[0].toLowerCase() + name.slice(1);
}

/** A spec with the version window it is used for. */
interface Source {
  spec: RawSpec;
  lo: number;
  hi: number;
  structs: Map<string, RawField[]>;
}

function commonStructs(spec: RawSpec): Map<string, RawField[]> {
  const m = new Map<string, RawField[]>();
  for (const s of spec.commonStructs ?? []) m.set(s.name, s.fields);
  return m;
}

function baseType(t: string): { isArray: boolean; base: string } {
  return t.startsWith("[]")
    ? { isArray: true, base: t.slice(2) }
    : { isArray: false, base: t };
}

interface Ctx {
  specName: string;
  structs: Map<string, StructModel>;
  order: StructModel[];
}

function structFields(src: Source, f: RawField): RawField[] {
  if (f.fields) return f.fields;
  const { base } = baseType(f.type);
  const common = src.structs.get(base);
  if (!common) {
    throw new Error(`${src.spec.name}: no struct ${base} for field ${f.name}`);
  }
  return common;
}

function defaultString(d: RawField["default"]): string {
  return d === undefined ? "" : String(d);
}

/**
 * Merges one struct's fields from several sources (each used for its own
 * version window). `parts` pairs each source with that struct's raw fields in
 * it (or null when the struct does not exist there).
 */
function mergeStruct(
  ctx: Ctx,
  tsName: string,
  about: string,
  parts: { src: Source; fields: RawField[] | null }[],
  structVersions: VSet,
): StructModel {
  // Field names in a merged order that respects every source's order.
  const names: string[] = [];
  for (const { fields } of parts) {
    if (!fields) continue;
    let insertAt = 0;
    for (const f of fields) {
      const i = names.indexOf(f.name);
      if (i >= 0) {
        insertAt = i + 1;
      } else {
        names.splice(insertAt, 0, f.name);
        insertAt++;
      }
    }
  }
  const fields: FieldModel[] = [];
  for (const name of names) {
    let versions: VSet = [];
    let nullable: VSet = [];
    let tagged: VSet = [];
    let tag: number | null = null;
    let type: string | null = null;
    let defaultRaw: string | null = null;
    let ignorable = false;
    let about = "";
    const sub: { src: Source; fields: RawField[] | null }[] = [];
    let subName: string | null = null;
    for (const { src, fields: fs } of parts) {
      const f = fs?.find((x) => x.name === name);
      if (!f) {
        sub.push({ src, fields: null });
        continue;
      }
      if (f.flexibleVersions !== undefined) {
        throw new Error(
          `${ctx.specName}.${name}: field-level flexibleVersions is not supported`,
        );
      }
      const present = within(parseVersions(f.versions), src.lo, src.hi);
      const { isArray, base } = baseType(f.type);
      const isStruct = !PRIMS.has(base);
      if (present.length > 0) {
        versions = union(versions, present);
        nullable = union(
          nullable,
          within(parseVersions(f.nullableVersions), src.lo, src.hi),
        );
        tagged = union(
          tagged,
          within(parseVersions(f.taggedVersions), src.lo, src.hi),
        );
        if (f.tag !== undefined) {
          if (tag !== null && tag !== f.tag) {
            throw new Error(
              `${ctx.specName}.${name}: tag differs between specs`,
            );
          }
          tag = f.tag;
        }
        const t = isStruct ? (isArray ? "[]struct" : "struct") : f.type;
        if (type !== null && type !== t) {
          throw new Error(
            `${ctx.specName}.${name}: type differs between specs`,
          );
        }
        type = t;
        const d = defaultString(f.default);
        if (defaultRaw !== null && defaultRaw !== d) {
          throw new Error(
            `${ctx.specName}.${name}: default differs between specs (${defaultRaw} / ${d})`,
          );
        }
        defaultRaw = d;
        if (!about && f.about) about = f.about;
        if (isStruct && subName === null) subName = base;
      }
      // Ignorable in any spec: the newest spec may have made an old field
      // ignorable when it dropped it.
      if (f.ignorable) ignorable = true;
      if (isStruct) sub.push({ src, fields: structFields(src, f) });
      else sub.push({ src, fields: null });
    }
    versions = intersect(versions, structVersions);
    if (versions.length === 0 || type === null) continue; // never on the wire in our versions
    nullable = intersect(nullable, versions);
    tagged = intersect(tagged, versions);
    if (tagged.length > 0 && tag === null) {
      throw new Error(`${ctx.specName}.${name}: tagged without a tag`);
    }
    let ft: FieldType;
    if (type === "struct" || type === "[]struct") {
      const structTs = subName!.startsWith(ctx.specName)
        ? subName!
        : ctx.specName + subName!;
      const sm = mergeStruct(ctx, structTs, about, sub, versions);
      ft = type === "struct"
        ? { kind: "struct", struct: sm }
        : { kind: "array", elem: { kind: "struct", struct: sm } };
    } else {
      const { isArray, base } = baseType(type);
      ft = isArray
        ? { kind: "array", elem: { kind: "prim", prim: base as Prim } }
        : { kind: "prim", prim: base as Prim };
      if (isArray && (base === "records" || base === "bytes")) {
        throw new Error(`${ctx.specName}.${name}: arrays of ${base}`);
      }
    }
    fields.push({
      jsonName: name,
      prop: camel(name),
      about,
      type: ft,
      versions,
      nullable,
      tagged,
      tag: tagged.length > 0 ? tag : null,
      defaultRaw: defaultRaw ?? "",
      ignorable,
    });
  }
  // Every source's field order must be the merged order restricted to it.
  for (const { src, fields: fs } of parts) {
    if (!fs) continue;
    for (let v = src.lo; v <= src.hi; v++) {
      const here = fs.filter((f) =>
        within(parseVersions(f.versions), v, v).length > 0 &&
        within(parseVersions(f.taggedVersions), v, v).length === 0
      ).map((f) => f.name);
      const merged = fields.filter((f) =>
        f.versions.includes(v) && !f.tagged.includes(v)
      ).map((f) => f.jsonName);
      if (!structVersions.includes(v)) continue;
      if (here.join() !== merged.join()) {
        throw new Error(
          `${ctx.specName}/${tsName} v${v}: merged field order ${merged} differs from ${src.spec.name}'s ${here}`,
        );
      }
    }
  }
  const existing = ctx.structs.get(tsName);
  const model: StructModel = {
    tsName,
    about,
    fields,
    versions: structVersions,
  };
  if (existing) {
    // A common struct used by several fields: the same definition.
    if (
      JSON.stringify(existing.fields.map((f) => [f.jsonName, f.defaultRaw])) !==
        JSON.stringify(fields.map((f) => [f.jsonName, f.defaultRaw]))
    ) {
      throw new Error(`${ctx.specName}: two different structs named ${tsName}`);
    }
    // Keep the widest field version sets.
    existing.versions = union(existing.versions, structVersions);
    for (let i = 0; i < fields.length; i++) {
      const a = existing.fields[i], b = fields[i];
      a.versions = union(a.versions, b.versions);
      a.nullable = union(a.nullable, b.nullable);
      a.tagged = union(a.tagged, b.tagged);
    }
    return existing;
  }
  ctx.structs.set(tsName, model);
  ctx.order.push(model);
  return model;
}

/**
 * Builds the model of one message from `<specsDir>/4.1/<file>.json`, using
 * `<specsDir>/3.9/<file>.json` for the versions below 4.1's lowest.
 * `maxVersion` caps the versions (a response takes its request's stable max).
 */
export function loadMessage(
  specsDir: string,
  specName: string,
  maxVersion?: number,
): MessageModel {
  const newest = tryReadSpec(`${specsDir}/4.1/${specName}.json`);
  const older = tryReadSpec(`${specsDir}/3.9/${specName}.json`);
  if (!newest) throw new Error(`no 4.1 spec for ${specName}`);
  const sources: Source[] = [];
  const nv = parseVersions(newest.validVersions)!;
  // Only requests carry latestVersionUnstable: a response passes its
  // request's highest stable version.
  const nHi = maxVersion ?? (newest.latestVersionUnstable ? nv.hi - 1 : nv.hi);
  sources.push({
    spec: newest,
    lo: nv.lo,
    hi: nHi,
    structs: commonStructs(newest),
  });
  if (older) {
    const ov = parseVersions(older.validVersions)!;
    if (ov.lo < nv.lo) {
      sources.push({
        spec: older,
        lo: ov.lo,
        hi: nv.lo - 1,
        structs: commonStructs(older),
      });
    }
  }
  const lo = Math.min(...sources.map((s) => s.lo));
  const universe = within({ lo, hi: nHi }, lo, nHi);
  let flexible: VSet = [];
  for (const s of sources) {
    flexible = union(
      flexible,
      within(parseVersions(s.spec.flexibleVersions), s.lo, s.hi),
    );
  }
  const ctx: Ctx = { specName, structs: new Map(), order: [] };
  const root = mergeStruct(
    ctx,
    specName,
    "",
    sources.map((src) => ({ src, fields: src.spec.fields })),
    universe,
  );
  const kind = newest.type as MessageModel["kind"];
  const apiName = kind === "data"
    ? specName
    : specName.replace(/(Request|Response)$/, "");
  return {
    specName,
    apiName,
    kind,
    apiKey: newest.apiKey ?? -1,
    universe,
    flexible,
    root,
    structs: ctx.order,
    sources: sources.map((s) => ({
      version: s.spec === newest ? "4.1" : "3.9",
      versions: within({ lo: s.lo, hi: s.hi }, s.lo, s.hi),
    })),
  };
}

/** The APIs the client needs, in the order the issue lists them. */
export const APIS: readonly string[] = [
  "Produce",
  "Fetch",
  "ListOffsets",
  "Metadata",
  "OffsetCommit",
  "OffsetFetch",
  "FindCoordinator",
  "JoinGroup",
  "Heartbeat",
  "LeaveGroup",
  "SyncGroup",
  "DescribeGroups",
  "ListGroups",
  "SaslHandshake",
  "SaslAuthenticate",
  "ApiVersions",
  "CreateTopics",
  "DeleteTopics",
  "CreatePartitions",
  "DeleteRecords",
  "DescribeConfigs",
  "AlterConfigs",
  "DeleteGroups",
  "OffsetForLeaderEpoch",
  "InitProducerId",
  "AddPartitionsToTxn",
  "AddOffsetsToTxn",
  "EndTxn",
  "TxnOffsetCommit",
  "ConsumerGroupHeartbeat",
  "ConsumerGroupDescribe",
];

/** Non-API schemas the consumers need (int16-version-prefixed blobs). */
export const DATA_SCHEMAS: readonly string[] = [
  "ConsumerProtocolSubscription",
  "ConsumerProtocolAssignment",
];

export { OPEN };
