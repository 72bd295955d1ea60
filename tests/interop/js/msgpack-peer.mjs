// msgpack-peer.mjs: a JavaScript msgpack peer for the C# interop tests, driven through binary
// stdin/stdout. Encoder/decoder: @msgpack/msgpack 3.1.3 (the same library family the npm hypha-rpc
// client bundles, 2.x there).
//
// Subcommands
//   node msgpack-peer.mjs echo
//       Reads ALL of stdin as a concatenated stream of msgpack values, decodes each and writes the
//       re-encoding of each, concatenated, to stdout. Exit 1 with a message on stderr on any decode
//       error (nothing is written then).
//   node msgpack-peer.mjs generate <count> <seed>
//       Writes <count> values, encoded and concatenated, to stdout. Deterministic for a given seed
//       (own xorshift32 PRNG). The first FIXED_COUNT values (printed by `info`) are fixed edge cases
//       covering every msgpack type and width boundary (ints of every width, uint64 max / int64 min,
//       float32 and float64 incl. -0/NaN/±Infinity, str/bin/array/map at lengths 0/15/16/31/32/255/
//       256/65535/65536, depth-10 nesting, timestamp ext -1 in its 32/64/96-bit forms, other exts);
//       the rest are random nested values. Keep count >= FIXED_COUNT to get all edge cases. Output
//       is about 2 MB, almost all of it the 65535/65536-sized containers.
//   node msgpack-peer.mjs verify <count> <seed>
//       Regenerates the same values, reads stdin (what the other side re-encoded after decoding the
//       `generate` output), decodes it and compares value by value. Prints
//       {"count":N,"decoded":M,"mismatchCount":K,"mismatches":[{index,path,expected,actual}...first 20],
//        "notes":[...], "error"?: "..."} on stdout; exit 1 on any mismatch, count difference or
//       decode error, 0 otherwise.
//   node msgpack-peer.mjs info
//       Prints {"fixedCount": FIXED_COUNT} (how many fixed edge cases `generate` emits first).
//   Usage errors exit 2.
//
// Decoder/encoder options: useBigInt64 (uint64/int64 wire values always decode to BigInt, BigInt
// encodes as uint64 (0xcf) when >= 0 else int64 (0xd3)); ext -1 (timestamp) is kept as raw ExtData,
// not turned into a Date, so nanoseconds survive; bin stays a Uint8Array.
//
// Caveats (JS number semantics; the C# side must not expect byte-identical echoes):
//   - A JS number has no int/float distinction. The encoder writes a number as the smallest int if it
//     is a safe integer in [-2^31, 2^32), else as float64. So float64 1.0 echoes as int 1, float32
//     values echo as float64, -0.0 echoes as int 0, and an int in uint32..2^53 range that arrived as
//     a float stays float64.
//   - int64/uint64 wire values (0xd3/0xcf) decode to BigInt whatever their size and are re-encoded
//     as 0xcf if >= 0 (a positive int64 comes back as uint64) or 0xd3 if negative.
//   - Maps decode to plain JS objects: keys must be str (or int, which becomes a string key on echo);
//     "__proto__" is rejected; integer-like string keys ("0", "1", ...) are reordered by JS.
//   - Timestamps and other exts echo with the smallest fixext/ext header for their data length.
//   - verify compares numbers numerically (int vs float, BigInt vs number, NaN == NaN); -0 vs 0 is
//     accepted but listed in "notes"; timestamps are compared as (sec, nsec); maps ignore key order.

import { Encoder, decodeMulti, ExtensionCodec, ExtData } from "@msgpack/msgpack";

const extensionCodec = new ExtensionCodec();
// Replace the built-in timestamp codec: keep ext -1 as raw bytes (a Date would lose nanoseconds).
extensionCodec.register({ type: -1, encode: () => null, decode: (data, type) => new ExtData(type, data.slice()) });
const OPTIONS = { useBigInt64: true, extensionCodec };
const encoder = new Encoder(OPTIONS); // reused: one Encoder per leaf value would be slow for 65536-entry maps

// ---------------------------------------------------------------------------------------------
// Value generation
// ---------------------------------------------------------------------------------------------

// A number that must go on the wire as a float of this exact width (the library would pick an int
// for whole numbers and never write float32).
class F32 { constructor(v) { this.value = Math.fround(v); } }
class F64 { constructor(v) { this.value = v; } }

function xorshift32(seed) {
  let s = (seed ^ 0x9e3779b9) >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 2 ** 32;
  };
}

function timestamp(sec, nsec, width) {
  // width: 32 (sec only), 64 (30-bit nsec + 34-bit sec), 96 (32-bit nsec + int64 sec)
  const data = new Uint8Array(width / 8);
  const dv = new DataView(data.buffer);
  if (width === 32) dv.setUint32(0, sec);
  else if (width === 64) { dv.setUint32(0, nsec * 4 + Math.floor(sec / 2 ** 32)); dv.setUint32(4, sec >>> 0); }
  else { dv.setUint32(0, nsec); dv.setBigInt64(4, BigInt(sec)); }
  return new ExtData(-1, data);
}

function bytes(n, rnd) {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (rnd() * 256) | 0;
  return b;
}

const asciiOfLength = (n) => "abcdefghijklmnopqrstuvwxyz0123456789".repeat(Math.ceil(n / 36) + 1).slice(0, n);

function fixedValues(rnd) {
  const ints = [0, 1, 127, 128, 255, 256, 65535, 65536, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1,
    -1, -32, -33, -128, -129, -32768, -32769, -(2 ** 31)];
  // Beyond 32 bits the library writes numbers as float64, so wire int64/uint64 come from BigInt.
  const bigs = [2n ** 32n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 63n - 1n, 2n ** 63n, 2n ** 64n - 1n,
    -(2n ** 31n) - 1n, -(2n ** 53n), -(2n ** 63n), 5n /* non-minimal uint64 */, -5n /* non-minimal int64 */];
  const floats = [new F64(-0), new F64(0), new F64(1), new F64(-2), NaN, Infinity, -Infinity, 0.5, -1.5,
    Math.PI, 1e300, 5e-324, Number.MAX_VALUE, Number.EPSILON, 2 ** 53 /* a number above 2^32: float64 */,
    new F32(1.5), new F32(-0.1), new F32(-0), new F32(NaN), new F32(Infinity), new F32(3.4028234663852886e38)];
  const strings = ["", "a", "\u0000nul inside", "Кириллица", "ひらがな", "한글", "漢字", "❤", "🍺", "👩‍👩‍👧‍👦",
    "é".repeat(16) /* 32 bytes: str8 although 16 chars */,
    ...[31, 32, 255, 256, 65535, 65536].map(asciiOfLength)];
  const bins = [0, 1, 31, 32, 255, 256, 65535, 65536].map((n) => bytes(n, rnd));
  const arrays = [0, 1, 15, 16, 65535, 65536].map((n) => Array.from({ length: n }, (_, i) => i % 300 - 20));
  const maps = [0, 1, 15, 16, 65535, 65536].map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i % 3 === 0 ? `v${i}` : i])));
  let deepArray = "bottom", deepMap = 42n, mixed = new F32(2.5);
  for (let d = 0; d < 10; d++) {
    deepArray = [deepArray];
    deepMap = { [`level${d}`]: deepMap };
    mixed = d % 2 ? [d, mixed, null] : { d, inner: mixed, bin: bytes(3, rnd) };
  }
  const timestamps = [timestamp(0, 0, 32), timestamp(1514862245, 0, 32), timestamp(2 ** 32 - 1, 0, 32),
    timestamp(1514862245, 678901234, 64), timestamp(2 ** 32, 0, 64), timestamp(2 ** 34 - 1, 999999999, 64),
    timestamp(-1, 0, 96), timestamp(-1, 999999999, 96), timestamp(-62167219200, 0, 96),
    timestamp(253402300799, 999999999, 96), timestamp(2 ** 34, 0, 96)];
  const exts = [new ExtData(1, bytes(1, rnd)), new ExtData(2, bytes(2, rnd)), new ExtData(5, bytes(16, rnd)),
    new ExtData(7, bytes(3, rnd)), new ExtData(127, new Uint8Array(0)), new ExtData(-128, bytes(256, rnd))];
  return [null, false, true, ...ints, ...bigs, ...floats, ...strings, ...bins, ...timestamps, ...exts,
    deepArray, deepMap, mixed, ...arrays, ...maps];
}

function randomValue(rnd, depth) {
  const pick = (a) => a[(rnd() * a.length) | 0];
  const kinds = ["nil", "bool", "int", "bigint", "float", "f32", "str", "bin", "ts", depth < 10 ? "arr" : "int", depth < 10 ? "map" : "str"];
  switch (pick(kinds)) {
    case "nil": return null;
    case "bool": return rnd() < 0.5;
    case "int": return Math.floor((rnd() - 0.5) * 2 ** (1 + ((rnd() * 32) | 0)));
    case "bigint": return BigInt.asIntN(64, (BigInt((rnd() * 2 ** 32) >>> 0) << 32n) | BigInt((rnd() * 2 ** 32) >>> 0)) * (rnd() < 0.5 ? 1n : -1n);
    case "float": return (rnd() - 0.5) * 10 ** ((rnd() * 20 - 10) | 0) + 1e-9;
    case "f32": return new F32((rnd() - 0.5) * 1000);
    case "str": return Array.from({ length: (rnd() * 40) | 0 }, () => pick(["a", "Z", "0", " ", "é", "ж", "ひ", "🍺", "\n"])).join("");
    case "bin": return bytes((rnd() * 40) | 0, rnd);
    case "ts": return timestamp(Math.floor(rnd() * 2 ** 33), (rnd() * 1e9) | 0, 64);
    case "arr": return Array.from({ length: (rnd() * 6) | 0 }, () => randomValue(rnd, depth + 1));
    case "map": return Object.fromEntries(Array.from({ length: (rnd() * 6) | 0 }, (_, i) => [`${pick(["k", "key", "ключ", "🔑"])}${i}`, randomValue(rnd, depth + 1)]));
  }
}

function generateValues(count, seed) {
  const rnd = xorshift32(seed);
  const values = fixedValues(rnd).slice(0, count);
  while (values.length < count) values.push(randomValue(rnd, 0));
  return values;
}

// Containers are written by hand so F32/F64 can sit anywhere inside them; leaves go to the library.
function encodeValue(v, parts) {
  if (v instanceof F32 || v instanceof F64) {
    const f32 = v instanceof F32;
    const b = new Uint8Array(f32 ? 5 : 9);
    const dv = new DataView(b.buffer);
    b[0] = f32 ? 0xca : 0xcb;
    f32 ? dv.setFloat32(1, v.value) : dv.setFloat64(1, v.value);
    parts.push(b);
  } else if (Array.isArray(v)) {
    parts.push(header(v.length, 0x90, 0xdc, 0xdd));
    for (const x of v) encodeValue(x, parts);
  } else if (isMap(v)) {
    const keys = Object.keys(v);
    parts.push(header(keys.length, 0x80, 0xde, 0xdf));
    for (const k of keys) { parts.push(encoder.encode(k)); encodeValue(v[k], parts); }
  } else parts.push(encoder.encode(v));
}

function header(n, fix, h16, h32) {
  if (n < 16) return Uint8Array.of(fix | n);
  if (n < 0x10000) return Uint8Array.of(h16, n >> 8, n & 0xff);
  return Uint8Array.of(h32, n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
}

const isMap = (v) => v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof ExtData) && !(v instanceof F32) && !(v instanceof F64);

// ---------------------------------------------------------------------------------------------
// Comparison (verify)
// ---------------------------------------------------------------------------------------------

function timestampParts(ext) {
  const d = ext.data, dv = new DataView(d.buffer, d.byteOffset, d.byteLength);
  if (d.length === 4) return [BigInt(dv.getUint32(0)), 0];
  if (d.length === 8) { const hi = dv.getUint32(0); return [BigInt(hi & 3) * 2n ** 32n + BigInt(dv.getUint32(4)), hi >>> 2]; }
  if (d.length === 12) return [dv.getBigInt64(4), dv.getUint32(0)];
  return null;
}

const sameBytes = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

// Returns null if equal, else { path, expected, actual } for the first difference found.
function compare(exp, act, path, notes) {
  const diff = () => ({ path, expected: preview(exp), actual: preview(act) });
  if (exp instanceof F32 || exp instanceof F64) exp = exp.value;
  if (typeof exp === "number" || typeof exp === "bigint") {
    if (typeof act !== "number" && typeof act !== "bigint") return diff();
    if (typeof exp === "number" && typeof act === "number") {
      if (Number.isNaN(exp) && Number.isNaN(act)) return null;
      if (exp !== act) return diff();
      if (!Object.is(exp, act)) notes.push({ path, note: `sign of zero differs: expected ${preview(exp)}, got ${preview(act)}` });
      return null;
    }
    const [n, b] = typeof exp === "number" ? [exp, act] : [act, exp];
    if (typeof n === "bigint") return n === b ? null : diff();
    return Number.isInteger(n) && BigInt(n) === b ? null : diff();
  }
  if (exp === null || typeof exp === "boolean" || typeof exp === "string") return exp === act ? null : diff();
  if (exp instanceof Uint8Array) return act instanceof Uint8Array && sameBytes(exp, act) ? null : diff();
  if (exp instanceof ExtData) {
    if (!(act instanceof ExtData) || act.type !== exp.type) return diff();
    if (exp.type === -1) {
      const [e, a] = [timestampParts(exp), timestampParts(act)];
      return e && a && e[0] === a[0] && e[1] === a[1] ? null : diff();
    }
    return sameBytes(exp.data, act.data) ? null : diff();
  }
  if (Array.isArray(exp)) {
    if (!Array.isArray(act) || act.length !== exp.length) return diff();
    for (let i = 0; i < exp.length; i++) {
      const d = compare(exp[i], act[i], `${path}[${i}]`, notes);
      if (d) return d;
    }
    return null;
  }
  if (!isMap(act)) return diff();
  const keys = Object.keys(exp);
  if (Object.keys(act).length !== keys.length || !keys.every((k) => Object.hasOwn(act, k))) return diff();
  for (const k of keys) {
    const d = compare(exp[k], act[k], `${path}.${k}`, notes);
    if (d) return d;
  }
  return null;
}

// JSON-safe, size-limited rendering of a value for the report.
function preview(v, depth = 0) {
  if (v instanceof F32 || v instanceof F64) v = v.value;
  if (typeof v === "number") return Number.isFinite(v) ? (Object.is(v, -0) ? "-0" : v) : String(v);
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "string") return v.length > 80 ? `${v.slice(0, 80)}…(${v.length} chars)` : v;
  if (v === null || v === undefined || typeof v === "boolean") return v ?? null;
  if (v instanceof Uint8Array) return `<bin ${v.length} bytes${v.length ? ": " + Buffer.from(v.subarray(0, 16)).toString("hex") : ""}${v.length > 16 ? "…" : ""}>`;
  if (v instanceof ExtData) {
    const ts = v.type === -1 ? timestampParts(v) : null;
    return `<ext ${v.type} ${v.data.length} bytes${ts ? ` sec=${ts[0]} nsec=${ts[1]}` : ""}>`;
  }
  if (Array.isArray(v)) return v.length > 8 || depth > 2 ? `<array ${v.length}>` : v.map((x) => preview(x, depth + 1));
  if (typeof v === "object") {
    const keys = Object.keys(v);
    return keys.length > 8 || depth > 2 ? `<map ${keys.length}>` : Object.fromEntries(keys.map((k) => [k, preview(v[k], depth + 1)]));
  }
  return String(v);
}

// ---------------------------------------------------------------------------------------------

async function readStdin() {
  const chunks = [];
  for await (const c of process.stdin) chunks.push(c);
  return new Uint8Array(Buffer.concat(chunks));
}

function usage(msg) {
  console.error(`${msg}\nusage: node msgpack-peer.mjs echo | generate <count> <seed> | verify <count> <seed> | info`);
  process.exit(2);
}

function countAndSeed(args) {
  const [count, seed] = args.map(Number);
  if (args.length !== 2 || !Number.isSafeInteger(count) || count < 0 || !Number.isSafeInteger(seed)) usage("expected <count> <seed> as integers");
  return [count, seed];
}

// A reader that stops early (e.g. `| head`) is not an error of ours.
process.stdout.on("error", (e) => process.exit(e.code === "EPIPE" ? 0 : 1));

const [cmd, ...args] = process.argv.slice(2);
switch (cmd) {
  case "echo": {
    const input = await readStdin();
    const out = [];
    try {
      for (const v of decodeMulti(input, OPTIONS)) out.push(encoder.encode(v));
    } catch (e) {
      console.error(`msgpack-peer echo: decode error after ${out.length} value(s): ${e.message}`);
      process.exit(1);
    }
    process.stdout.write(Buffer.concat(out));
    break;
  }
  case "generate": {
    const parts = [];
    for (const v of generateValues(...countAndSeed(args))) encodeValue(v, parts);
    process.stdout.write(Buffer.concat(parts));
    break;
  }
  case "verify": {
    const [count, seed] = countAndSeed(args);
    const expected = generateValues(count, seed);
    const input = await readStdin();
    const actual = [];
    let error;
    try {
      for (const v of decodeMulti(input, OPTIONS)) actual.push(v);
    } catch (e) {
      error = `decode error after ${actual.length} value(s): ${e.message}`;
    }
    const mismatches = [], notes = [];
    for (let i = 0; i < Math.max(count, actual.length); i++) {
      const valueNotes = [];
      const d = i >= actual.length ? { path: "", expected: preview(expected[i]), actual: "<missing>" }
        : i >= count ? { path: "", expected: "<none>", actual: preview(actual[i]) }
        : compare(expected[i], actual[i], "", valueNotes);
      if (d) mismatches.push({ index: i, ...d });
      notes.push(...valueNotes.map((n) => ({ index: i, ...n })));
    }
    const summary = { count, decoded: actual.length, mismatchCount: mismatches.length, mismatches: mismatches.slice(0, 20), notes: notes.slice(0, 20) };
    if (error) summary.error = error;
    process.stdout.write(JSON.stringify(summary) + "\n");
    process.exitCode = mismatches.length || error ? 1 : 0;
    break;
  }
  case "info":
    process.stdout.write(JSON.stringify({ fixedCount: fixedValues(xorshift32(0)).length }) + "\n");
    break;
  default:
    usage(`unknown subcommand: ${cmd ?? "(none)"}`);
}
