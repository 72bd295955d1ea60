#!/usr/bin/env node
// A long-running hypha-rpc peer for the C# live tests, driven over stdio with JSON lines.
//
//   node hypha-peer.mjs --server-url URL --client-id ID [--workspace WS] [--token JWT] [--method-timeout SECONDS]
//                       [--verbose]
//
// It connects with the unmodified npm `hypha-rpc` client, prints
//   {"event":"ready","workspace":...,"client_id":...}
// on stdout, then reads one JSON command per stdin line ({"id":..., "op":..., ...}) and answers each with one line
//   {"id":<same id>,"ok":true,"result":...}   or   {"id":<same id>,"ok":false,"error":"<message>"}
// Commands run concurrently, so answers may come out of order: correlate by id. It exits on stdin EOF or
// {"op":"exit"}, disconnecting first. Only protocol lines go to stdout; diagnostics go to stderr.
//
// Values that JSON cannot carry use tagged forms in both directions:
//   {"$bytes":"<base64>"} Uint8Array   {"$f32":[...]} Float32Array   {"$date":"ISO"} Date
// and, in answers only: {"$typed":"<dtype>","values":[...]} other typed arrays, {"$arraybuffer":"<base64>"},
// {"$function":"<name>"}, {"$generator":true}, {"$error":"<message>"}, {"$bigint":"<decimal>"},
// {"$number":"NaN"|"Infinity"|"-Infinity"}, {"$set":[...]}, {"$map":[[k,v],...]}. undefined becomes null.
// See README.md for the command list.

import WebSocket from "ws";
globalThis.WebSocket ??= WebSocket; // Node 20 has no global WebSocket; hypha-rpc reads it (protocol doc §7)
import { connectToServer } from "hypha-rpc";
import { createInterface } from "node:readline";
import { format } from "node:util";

// stdout carries only protocol lines. hypha-rpc prints some messages with console.log even with `logger: null`
// (e.g. "Stale service error ... refreshing and retrying"), so every console method goes to stderr.
for (const level of ["log", "info", "warn", "error", "debug", "trace"]) {
  console[level] = (...parts) => process.stderr.write(`[console.${level}] ${format(...parts)}\n`);
}
const writeStdout = (text) => process.stdout.write(text);

// ---------------------------------------------------------------- arguments

function parseArgs(argv) {
  const options = { workspace: undefined, methodTimeout: undefined, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${arg} needs a value`);
      return argv[++i];
    };
    switch (arg) {
      case "--server-url": options.serverUrl = value(); break;
      case "--client-id": options.clientId = value(); break;
      case "--workspace": options.workspace = value(); break;
      case "--token": options.token = value(); break;
      case "--method-timeout": {
        const seconds = Number(value());
        if (!(seconds > 0)) usage("--method-timeout must be a positive number of seconds");
        options.methodTimeout = seconds;
        break;
      }
      case "--verbose": options.verbose = true; break;
      default: usage(`unknown argument ${arg}`);
    }
  }
  if (!options.serverUrl) usage("--server-url is required");
  if (!options.clientId) usage("--client-id is required");
  return options;
}

function usage(message) {
  process.stderr.write(
    `hypha-peer: ${message}\nusage: node hypha-peer.mjs --server-url URL --client-id ID [--workspace WS] [--token JWT] ` +
      `[--method-timeout SECONDS] [--verbose]\n`,
  );
  process.exit(2);
}

const options = parseArgs(process.argv.slice(2));

function log(...parts) {
  if (options.verbose) process.stderr.write(`[hypha-peer ${options.clientId}] ${parts.map(String).join(" ")}\n`);
}

process.on("unhandledRejection", (reason) => {
  process.stderr.write(`[hypha-peer ${options.clientId}] unhandled rejection: ${reason?.stack ?? reason}\n`);
});

// ---------------------------------------------------------------- tagged JSON <-> JS values

function toBytes(base64) {
  const buffer = Buffer.from(base64, "base64");
  // A plain Uint8Array (not a Buffer), so hypha-rpc sees exactly what a browser app would send.
  const bytes = new Uint8Array(buffer.length);
  bytes.set(buffer);
  return bytes;
}

/** Tagged JSON (from the C# side) to JS values. */
function fromJson(value) {
  if (Array.isArray(value)) return value.map(fromJson);
  if (value === null || typeof value !== "object") return value;
  if (typeof value.$bytes === "string") return toBytes(value.$bytes);
  if (Array.isArray(value.$f32)) return Float32Array.from(value.$f32);
  if (typeof value.$date === "string") return new Date(value.$date);
  const out = {};
  for (const [k, v] of Object.entries(value)) out[k] = fromJson(v);
  return out;
}

function isAsyncIterable(value) {
  return value != null && typeof value[Symbol.asyncIterator] === "function";
}

/** JS values to tagged JSON (for the C# side). */
function toJson(value, depth = 0) {
  if (depth > 64) return "$too-deep";
  if (value === undefined || value === null) return null;
  switch (typeof value) {
    case "number":
      return Number.isFinite(value) ? value : { $number: String(value) };
    case "bigint":
      return { $bigint: value.toString() };
    case "function":
      return { $function: value.__name__ || value.name || "anonymous" };
    case "string":
    case "boolean":
      return value;
    case "symbol":
      return String(value);
  }
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64") };
  if (value instanceof Float32Array) return { $f32: Array.from(value, (x) => toJson(x)) };
  if (ArrayBuffer.isView(value)) {
    return { $typed: value.constructor.name, values: Array.from(value, (x) => toJson(x)) };
  }
  if (value instanceof ArrayBuffer) return { $arraybuffer: Buffer.from(value).toString("base64") };
  if (value instanceof Date) return { $date: value.toISOString() };
  if (value instanceof Error) return { $error: value.message };
  if (value instanceof Set) return { $set: Array.from(value, (x) => toJson(x, depth + 1)) };
  if (value instanceof Map) return { $map: Array.from(value, ([k, v]) => [toJson(k, depth + 1), toJson(v, depth + 1)]) };
  if (isAsyncIterable(value) || typeof value.next === "function") return { $generator: true };
  if (Array.isArray(value)) return value.map((x) => toJson(x, depth + 1));
  const out = {};
  for (const [k, v] of Object.entries(value)) out[k] = toJson(v, depth + 1);
  return out;
}

// ---------------------------------------------------------------- payload helpers

/** n bytes with byte i = i % 251 (a prime, so chunk boundaries never line up with the pattern). */
function makeBytes(n) {
  const bytes = new Uint8Array(n);
  for (let i = 0, v = 0; i < n; i++) {
    bytes[i] = v;
    if (++v === 251) v = 0;
  }
  return bytes;
}

/** {length, sum (of the bytes, mod 2^32)}. */
function checksum(u8) {
  if (!(u8 instanceof Uint8Array)) throw new Error(`checksum expects a Uint8Array, got ${describeType(u8)}`);
  let sum = 0;
  for (let i = 0; i < u8.length; i++) sum += u8[i]; // exact: 255 * 2^32 < 2^53
  return { length: u8.length, sum: sum % 4294967296 };
}

/** checksum plus whether the bytes follow the makeBytes pattern. */
function summarize(u8) {
  const summary = checksum(u8);
  let patternOk = true;
  for (let i = 0, v = 0; i < u8.length; i++) {
    if (u8[i] !== v) {
      patternOk = false;
      summary.first_mismatch = i;
      break;
    }
    if (++v === 251) v = 0;
  }
  summary.pattern_ok = patternOk;
  return summary;
}

function describeType(value) {
  if (value === null) return "null";
  if (typeof value !== "object") return typeof value;
  return value.constructor?.name ?? "object";
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------- the js-svc service

const stats = {
  calls: {},            // function name -> calls received
  generators_started: 0,
  generators_finished: 0, // ran to the end
  generators_closed: 0,   // left early (return() from an early break on the consumer side)
  callbacks_received: 0,
};

function bump(name) {
  stats.calls[name] = (stats.calls[name] ?? 0) + 1;
}

function buildService(id, visibility) {
  return {
    id,
    name: "JS interop service",
    description: "Functions the C# live tests call (tests/interop/js/hypha-peer.mjs)",
    config: { visibility },
    // Plain `function name(params)` forms: hypha-rpc maps kwargs onto parameter names parsed from the source.
    add: function add(a, b) {
      bump("add");
      return a + b;
    },
    greet: function greet(name, greeting = "Hello") {
      bump("greet");
      return `${greeting}, ${name}!`;
    },
    call_back: async function call_back(cb, n) {
      bump("call_back");
      if (typeof cb !== "function") throw new Error(`call_back: cb is ${describeType(cb)}, not a function`);
      stats.callbacks_received++;
      const results = [];
      for (let i = 1; i <= n; i++) results.push(await cb(i));
      return results;
    },
    count: async function* count(n) {
      bump("count");
      stats.generators_started++;
      let finished = false;
      try {
        for (let i = 0; i < n; i++) yield i;
        finished = true;
      } finally {
        if (finished) stats.generators_finished++;
        else stats.generators_closed++;
      }
    },
    fail: function fail(msg) {
      bump("fail");
      throw new Error(msg);
    },
    reverse_bytes: function reverse_bytes(u8) {
      bump("reverse_bytes");
      if (!(u8 instanceof Uint8Array)) throw new Error(`reverse_bytes expects a Uint8Array, got ${describeType(u8)}`);
      return Uint8Array.from(u8).reverse();
    },
    scale_f32: function scale_f32(arr, k) {
      bump("scale_f32");
      if (!(arr instanceof Float32Array)) throw new Error(`scale_f32 expects a Float32Array, got ${describeType(arr)}`);
      return arr.map((x) => x * k);
    },
    make_bytes: function make_bytes(n) {
      bump("make_bytes");
      return makeBytes(n);
    },
    checksum: function checksum_(u8) {
      bump("checksum");
      return checksum(u8);
    },
    slow: async function slow(ms) {
      bump("slow");
      await sleep(ms);
      return "done";
    },
    echo: function echo(x) {
      bump("echo");
      return x;
    },
    type_of: function type_of(x) {
      bump("type_of");
      return describeType(x);
    },
    sum_stream: async function sum_stream(gen) {
      bump("sum_stream");
      if (!isAsyncIterable(gen)) throw new Error(`sum_stream expects a generator, got ${describeType(gen)}`);
      let sum = 0;
      for await (const item of gen) sum += item;
      return sum;
    },
  };
}

// ---------------------------------------------------------------- connection

const connectConfig = {
  server_url: options.serverUrl,
  client_id: options.clientId,
  logger: options.verbose ? makeStderrLogger() : null,
};
if (options.workspace) connectConfig.workspace = options.workspace;
if (options.token) connectConfig.token = options.token;
if (options.methodTimeout) connectConfig.method_timeout = options.methodTimeout;

function makeStderrLogger() {
  const write = (level) => (...parts) =>
    process.stderr.write(`[hypha-rpc ${options.clientId} ${level}] ${parts.map((p) => (p?.stack ?? String(p))).join(" ")}\n`);
  return { debug: () => {}, log: write("log"), info: write("info"), warn: write("warn"), error: write("error") };
}

let server;
try {
  server = await connectToServer(connectConfig);
} catch (error) {
  process.stderr.write(`hypha-peer: could not connect to ${options.serverUrl}: ${error?.stack ?? error}\n`);
  process.exit(1);
}

const serviceCache = new Map();

async function getService(id, refresh = false) {
  if (!refresh && serviceCache.has(id)) return serviceCache.get(id);
  const svc = await server.getService(id);
  serviceCache.set(id, svc);
  return svc;
}

function lookup(svc, method) {
  let member = svc;
  for (const part of method.split(".")) member = member?.[part];
  if (typeof member !== "function") throw new Error(`service ${svc?.id} has no function '${method}'`);
  return member;
}

/** Calls service.method; a failed call drops the cached service, so the next call fetches it again. */
async function invoke(cmd, extraArgs) {
  const svc = await getService(cmd.service, cmd.refresh === true);
  const fn = lookup(svc, cmd.method);
  const args = extraArgs ?? fromJson(cmd.args ?? []);
  if (cmd.kwargs) args.push({ ...fromJson(cmd.kwargs), _rkwargs: true });
  try {
    return await fn(...args);
  } catch (error) {
    serviceCache.delete(cmd.service);
    throw error;
  }
}

function requireFields(cmd, ...names) {
  for (const name of names) {
    if (cmd[name] === undefined) throw new Error(`'${cmd.op}' needs '${name}'`);
  }
}

// ---------------------------------------------------------------- commands

// Generators iterate_hold left open, kept reachable for the life of the process.
const heldIterators = [];

const commands = {
  ping: async () => "pong",

  info: async () => ({
    workspace: server.config.workspace,
    client_id: server.config.client_id,
    server_url: options.serverUrl,
    manager_id: server.config.manager_id ?? null,
  }),

  stats: async () => structuredClone(stats),

  register: async (cmd) => {
    const info = await server.registerService(buildService(cmd.service_id ?? "js-svc", cmd.visibility ?? "public"));
    return info.id;
  },

  // {service, method, args, kwargs?, refresh?}
  call: async (cmd) => {
    requireFields(cmd, "service", "method");
    return toJson(await invoke(cmd));
  },

  // Like call, but a thrown error is the expected answer: {error: message} (null and the result if none).
  call_expect_error: async (cmd) => {
    requireFields(cmd, "service", "method");
    try {
      const result = await invoke(cmd);
      return { error: null, result: toJson(result) };
    } catch (error) {
      return { error: error?.message ?? String(error) };
    }
  },

  // {service, method, args} → {result, ms}: the call's wall time, for timeout/heartbeat checks.
  call_timed: async (cmd) => {
    requireFields(cmd, "service", "method");
    const start = performance.now();
    try {
      const result = await invoke(cmd);
      return { result: toJson(result), error: null, ms: performance.now() - start };
    } catch (error) {
      return { result: null, error: error?.message ?? String(error), ms: performance.now() - start };
    }
  },

  // Calls method(cb, n); cb records what it receives and returns value * 10.
  call_with_callback: async (cmd) => {
    requireFields(cmd, "service", "method", "n");
    const received = [];
    const cb = (value) => {
      received.push(value);
      return value * 10;
    };
    const result = await invoke(cmd, [cb, cmd.n]);
    return { result: toJson(result), received: toJson(received) };
  },

  // Calls method(gen) with an async generator yielding 1..n; answers {result, yielded, closed}.
  call_with_stream: async (cmd) => {
    requireFields(cmd, "service", "method", "n");
    let yielded = 0;
    let finished = false;
    async function* numbers(n) {
      for (let i = 1; i <= n; i++) {
        yielded++;
        yield i;
      }
      finished = true;
    }
    const result = await invoke(cmd, [numbers(cmd.n)]);
    return { result: toJson(result), yielded, finished };
  },

  // Collects every item of the generator method(...args) returns.
  iterate: async (cmd) => {
    requireFields(cmd, "service", "method");
    const gen = await invoke(cmd);
    if (!isAsyncIterable(gen)) throw new Error(`${cmd.method} returned ${describeType(gen)}, not a generator`);
    const items = [];
    for await (const item of gen) items.push(toJson(item));
    return items;
  },

  // Takes `take` items, then breaks out of the loop (the proxy calls the generator's close method).
  iterate_break: async (cmd) => {
    requireFields(cmd, "service", "method", "take");
    const gen = await invoke(cmd);
    if (!isAsyncIterable(gen)) throw new Error(`${cmd.method} returned ${describeType(gen)}, not a generator`);
    const items = [];
    if (cmd.take > 0) {
      for await (const item of gen) {
        items.push(toJson(item));
        if (items.length >= cmd.take) break;
      }
    }
    return items;
  },

  // Takes `take` items of a generator and keeps it open: never closed, as by a peer that goes away mid-stream.
  iterate_hold: async (cmd) => {
    requireFields(cmd, "service", "method", "take");
    const gen = await invoke(cmd);
    if (!isAsyncIterable(gen)) throw new Error(`${cmd.method} returned ${describeType(gen)}, not a generator`);
    const iterator = gen[Symbol.asyncIterator]();
    heldIterators.push(iterator);
    const items = [];
    while (items.length < cmd.take) {
      const next = await iterator.next();
      if (next.done) break;
      items.push(toJson(next.value));
    }
    return items;
  },

  // Sends Uint8Array(size) (byte i = i % 251) to `method` (a checksum function → {length, sum}) and asks
  // `bytes_method` (default make_bytes) for size bytes; answers both summaries, never the bytes.
  big: async (cmd) => {
    requireFields(cmd, "service", "method", "size");
    const payload = makeBytes(cmd.size);
    const expected = checksum(payload);
    let start = performance.now();
    const sent = await invoke({ ...cmd, args: undefined, kwargs: undefined }, [payload]);
    const sentMs = performance.now() - start;
    start = performance.now();
    const bytes = await invoke(
      { ...cmd, method: cmd.bytes_method ?? "make_bytes", args: undefined, kwargs: undefined },
      [cmd.size],
    );
    const receivedMs = performance.now() - start;
    if (!(bytes instanceof Uint8Array)) throw new Error(`${cmd.bytes_method ?? "make_bytes"} returned ${describeType(bytes)}`);
    return {
      expected,
      sent: toJson(sent),
      sent_ms: sentMs,
      received: summarize(bytes),
      received_ms: receivedMs,
    };
  },

  // Fires `count` concurrent calls method(i); counts results equal to i.
  concurrent: async (cmd) => {
    requireFields(cmd, "service", "method", "count");
    const svc = await getService(cmd.service);
    const fn = lookup(svc, cmd.method);
    const start = performance.now();
    const outcomes = await Promise.allSettled(Array.from({ length: cmd.count }, (_, i) => fn(i)));
    const ms = performance.now() - start;
    let ok = 0;
    let failed = 0;
    let wrong = 0;
    let firstError = null;
    outcomes.forEach((outcome, i) => {
      if (outcome.status === "fulfilled") {
        if (outcome.value === i) ok++;
        else {
          wrong++;
          firstError ??= `call ${i} returned ${JSON.stringify(toJson(outcome.value))}`;
        }
      } else {
        failed++;
        firstError ??= outcome.reason?.message ?? String(outcome.reason);
      }
    });
    return { ok, failed: failed + wrong, wrong, first_error: firstError, ms };
  },

  // {service, method?}: what the manager stores for a service (its service_schema), and the function's own schema
  // as the decoded proxy carries it (_rschema → __schema__).
  service_schema: async (cmd) => {
    requireFields(cmd, "service");
    const info = await server.getServiceInfo(cmd.service);
    const result = { service_schema: toJson(info.service_schema ?? null), description: info.description ?? null };
    if (cmd.method) result.function_schema = toJson(lookup(await getService(cmd.service), cmd.method).__schema__ ?? null);
    return result;
  },

  // server.echo through the workspace manager.
  echo_manager: async (cmd) => toJson(await server.echo(fromJson(cmd.value))),

  // Forget cached services (after a server restart, say).
  forget: async () => {
    serviceCache.clear();
    return true;
  },

  exit: async () => {
    setImmediate(() => shutdown(0));
    return "bye";
  },
};

// ---------------------------------------------------------------- stdio loop

function writeLine(object) {
  writeStdout(JSON.stringify(object) + "\n");
}

async function handle(line) {
  let cmd;
  try {
    cmd = JSON.parse(line);
  } catch (error) {
    writeLine({ id: null, ok: false, error: `invalid JSON: ${error.message}` });
    return;
  }
  const id = cmd?.id ?? null;
  const command = commands[cmd?.op];
  if (!command) {
    writeLine({ id, ok: false, error: `unknown op '${cmd?.op}'` });
    return;
  }
  try {
    const result = await command(cmd);
    writeLine({ id, ok: true, result: result === undefined ? null : result });
  } catch (error) {
    log(`op ${cmd.op} failed: ${error?.stack ?? error}`);
    writeLine({ id, ok: false, error: error?.message ?? String(error) });
  }
}

let shuttingDown = false;
async function shutdown(code) {
  if (shuttingDown) return;
  shuttingDown = true;
  const hardStop = setTimeout(() => process.exit(code), 3000);
  hardStop.unref();
  try {
    await server.disconnect();
  } catch (error) {
    log(`disconnect failed: ${error}`);
  }
  process.exit(code);
}

writeLine({ event: "ready", workspace: server.config.workspace, client_id: server.config.client_id ?? options.clientId });

const input = createInterface({ input: process.stdin, crlfDelay: Infinity });
input.on("line", (line) => {
  if (line.trim().length > 0) handle(line);
});
input.on("close", () => shutdown(0));
