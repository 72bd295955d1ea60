// Records REAL binary frames sent by the unmodified npm `hypha-rpc` client, to be committed as
// golden fixtures for the C# protocol tests.
//
//   node record-golden-frames.mjs [output-dir]
//   (default output-dir: <repo>/tests/Hypha.Protocol.Tests/Fixtures/hypha-frames)
//
// How: this script starts a tiny fake hypha server (ws on 127.0.0.1, ephemeral port, path /ws)
// that does the text handshake and plays the workspace manager "*/manager-golden" plus one fake
// peer "ws-golden/fake-peer". It then drives the real client so that it emits each kind of frame
// we care about, and saves every wanted client->server binary message byte for byte (the client's
// own bytes, i.e. before any server rewriting of from/ws/user). A README.md with a decoded dump of
// each file is written next to the .bin files.
//
// The frames contain random session/object ids (randId() = random + Date.now()), so re-running
// produces different bytes with the same structure. Re-record only when upgrading hypha-rpc.

import WebSocket, { WebSocketServer } from "ws";
// Node 20 has no global WebSocket and hypha-rpc reads the bare global (WebSocket.OPEN etc.).
globalThis.WebSocket ??= WebSocket;

import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { encode, decodeMulti } from "@msgpack/msgpack";
import { connectToServer } from "hypha-rpc";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const OUT_DIR = path.resolve(
  process.argv[2] ?? path.join(HERE, "../../Hypha.Protocol.Tests/Fixtures/hypha-frames"),
);
// hypha-rpc's "exports" hides package.json, so read it from node_modules directly.
const HYPHA_RPC_VERSION = JSON.parse(fs.readFileSync(path.join(HERE, "node_modules/hypha-rpc/package.json"), "utf8")).version;
const HARD_TIMEOUT_MS = 30_000;

const MANAGER_ID = "manager-golden";
const MANAGER = `*/${MANAGER_ID}`;
const WS = "ws-golden";
const CLIENT_ID = "golden-client";
const CLIENT = `${WS}/${CLIENT_ID}`;
const PEER = `${WS}/fake-peer`;
const USER = {
  id: "anonymouz-golden", roles: ["anonymous"], is_anonymous: true, email: null, parent: null,
  expires_at: null, current_workspace: WS,
  scope: { current_workspace: WS, workspaces: { [WS]: "rw" }, client_id: CLIENT_ID, extra_scopes: [] },
};

// [fixture name, required?, description for the README]. A missing required frame fails the run.
const WANTED = [
  ["get-service-explicit-promise", true, "The client's first binary frame: `services.built-in.get_service(\"default\")` to the manager, with the explicit promise map (resolve/reject/heartbeat descriptors + interval)."],
  ["resolve-service-map", true, "The manager called the client's `services.built-in.get_service(\"s1\")` with session + compact promise (`\"*\"`, `t`); this is the client's `<session>.resolve` carrying the encoded service map."],
  ["call-with-kwargs", true, "`peer.compute(1, {x: 2, y: \"two\", _rkwargs: true})` to the fake peer: `with_kwargs: true`, last arg is the kwargs map (`_rkwargs` stripped)."],
  ["resolve-generator", true, "The manager called `services.s1.count_up` (an async generator function); the client's resolve carries a `_rtype: \"generator\"` descriptor."],
  ["reject-error", true, "The manager called `services.s1.fail` (throws); the client's `<session>.reject` carries `{_rtype: \"error\", _rvalue, _rtrace}`."],
  ["call-typedarray", false, "`peer.echo(new Float32Array([1.5, -2, 3.25]))`: `_rtype: \"typedarray\"`, `_rdtype: \"float32\"`, `_rvalue` = bin of the underlying buffer."],
  ["call-bytes-and-date", false, "`peer.echo(new Uint8Array([0, 1, 2, 255]), new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)))`: msgpack bin and msgpack timestamp ext -1."],
  ["callback-arg", false, "`peer.notify(function onProgress(p) {...})`: the function travels as a session-scoped `_rtype: \"method\"` descriptor (`_rmethod: <session>.<objid>`)."],
  ["register-service", false, "`wm.registerService({id: \"s1\", ...})`: the client's `services.default.register_service(<ServiceInfo>)` to the manager (id `<ws>/<cid>:s1`, `service_schema`, `app_id`)."],
  ["get-service-by-id", false, "`wm.getService(\"peer-svc\")`: the client's `services.default.get_service(\"peer-svc\", {})` to the manager (config passed as a 2nd positional map, no kwargs)."],
  ["heartbeat", false, "The manager called `services.s1.slow` (takes ~0.7 s) with `t: 0.2`; while it runs the client sends `<session>.heartbeat` calls. This is the first one."],
];

const log = (...a) => console.error("[record]", ...a);
const hardTimer = setTimeout(() => {
  console.error(`[record] ERROR: hard timeout after ${HARD_TIMEOUT_MS / 1000}s; captured so far: ${[...captured.keys()].join(", ") || "nothing"}`);
  process.exit(2);
}, HARD_TIMEOUT_MS);
hardTimer.unref();

// ---------------------------------------------------------------------------------------------
// Fake server
// ---------------------------------------------------------------------------------------------

const captured = new Map(); // fixture name -> { bytes, main, extra }
const frameWaiters = []; // { predicate, resolve }
let clientSocket = null;
let baseUrl = null;

function packFrame(main, extra) {
  const a = encode(main);
  if (extra === undefined) return a;
  const b = encode(extra);
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

// Server-originated call to the client, stamped the way the real server would (from/ws/user).
function sendToClient(from, method, extra, extraMain = {}) {
  clientSocket.send(packFrame({ type: "method", from, to: CLIENT, method, ...extraMain, ws: WS, user: USER }, extra));
}

// Answer a call the client made to `self` (manager or fake peer): resolve/reject per its promise form.
function reply(self, main, extra, ok, value) {
  const p = extra.promise;
  if (!p) return; // fire-and-forget
  if (p === "*") {
    sendToClient(self, `${main.session}.${ok ? "resolve" : "reject"}`, { args: [value] }, { parent: main.session });
  } else {
    const cb = ok ? p.resolve : p.reject;
    sendToClient(self, cb._rmethod, { args: [value] }, { parent: main.session });
  }
}

function methodDescriptor(target, method, name) {
  return { _rtype: "method", _rtarget: target, _rmethod: method, _rpromise: "*", _rserver: baseUrl, _rname: name, _rdoc: null, _rschema: null };
}

function defaultServiceMap() {
  const svc = {
    id: "default", name: "Default workspace management service", description: "fake manager for recording golden frames",
    type: "default", config: { require_context: true, visibility: "public", api_version: 3, workspace: "*" },
  };
  for (const fn of ["echo", "register_service", "unregister_service", "get_service", "get_service_info", "list_services", "subscribe", "unsubscribe"]) {
    svc[fn] = methodDescriptor(MANAGER, `services.default.${fn}`, fn);
  }
  return svc;
}

function peerServiceMap() {
  const svc = {
    id: `${PEER}:peer-svc`, name: "peer-svc", type: "generic", description: "",
    config: { visibility: "public", workspace: WS, url: `${baseUrl}/${WS}/services/fake-peer:peer-svc` },
  };
  for (const fn of ["compute", "echo", "notify"]) svc[fn] = methodDescriptor(PEER, `services.peer-svc.${fn}`, fn);
  return svc;
}

// Calls the manager makes into the client: session id -> {resolve, reject}
const managerCalls = new Map();
let managerSeq = 0;
function managerCall(method, args, t = 10) {
  const session = `mgr${++managerSeq}`;
  return new Promise((resolve, reject) => {
    managerCalls.set(session, { resolve, reject });
    sendToClient(MANAGER, method, { args, promise: "*", t }, { session });
  });
}

function handleManagerCall(main, extra) {
  const [sid, fn] = main.method.split(".");
  if (managerCalls.has(sid)) { // reply to one of our own calls into the client
    if (fn === "heartbeat") return;
    const { resolve, reject } = managerCalls.get(sid);
    managerCalls.delete(sid);
    (fn === "resolve" ? resolve : reject)(extra.args?.[0]);
    return;
  }
  const args = extra.args ?? [];
  switch (main.method) {
    case "services.built-in.get_service":
      return reply(MANAGER, main, extra, args[0] === "default", args[0] === "default" ? defaultServiceMap() : { _rtype: "error", _rvalue: `Service not found: ${args[0]}`, _rtrace: "" });
    case "services.default.register_service":
    case "services.default.unregister_service":
      return reply(MANAGER, main, extra, true, null);
    case "services.default.subscribe":
    case "services.default.unsubscribe":
      return reply(MANAGER, main, extra, true, true);
    case "services.default.get_service":
      return reply(MANAGER, main, extra, true, peerServiceMap());
    default:
      return reply(MANAGER, main, extra, false, { _rtype: "error", _rvalue: `fake manager: no ${main.method}`, _rtrace: "" });
  }
}

function onBinaryFrame(bytes) {
  const [main, extra = {}] = [...decodeMulti(bytes)];
  const frame = { bytes, main, extra };
  for (let i = frameWaiters.length - 1; i >= 0; i--) {
    if (frameWaiters[i].predicate(frame)) frameWaiters.splice(i, 1)[0].resolve(frame);
  }
  if (main.to === MANAGER) handleManagerCall(main, extra);
  else if (main.to === PEER) reply(PEER, main, extra, true, main.method.endsWith(".compute") ? 42 : null);
  else log("unexpected frame to", main.to, main.method);
}

function startServer() {
  const server = http.createServer((_, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server, path: "/ws" });
  wss.on("connection", (socket) => {
    let authed = false;
    socket.on("message", (data, isBinary) => {
      if (isBinary) return onBinaryFrame(new Uint8Array(data));
      const msg = JSON.parse(data.toString());
      if (!authed) { // first text frame = auth payload
        authed = true;
        clientSocket = socket;
        socket.send(JSON.stringify({
          type: "connection_info", hypha_version: "0.21.135", public_base_url: baseUrl, local_base_url: baseUrl,
          manager_id: MANAGER_ID, workspace: WS, client_id: msg.client_id, user: USER,
          reconnection_token: "golden-reconnection-token", reconnection_token_life_time: 172800,
        }));
      } else if (msg.type === "ping") socket.send(JSON.stringify({ type: "pong" }));
      else if (msg.type === "refresh_token") socket.send(JSON.stringify({ type: "reconnection_token", reconnection_token: "golden-reconnection-token" }));
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => {
    baseUrl = `http://127.0.0.1:${server.address().port}`;
    resolve({ server, wss });
  }));
}

// Registers interest in the next client frame matching `predicate`, saved as fixture `name`.
function capture(name, predicate) {
  return new Promise((resolve) => frameWaiters.push({ predicate, resolve })).then((frame) => {
    captured.set(name, frame);
    log("captured", name, `(${frame.bytes.length} bytes)`);
    return frame;
  });
}

const isMethod = (frame, m) => frame.main.method === m;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// A frame we wait for is normally captured before the call that sent it returns; bound the wait so a
// frame the client did not send is reported as missing instead of hanging until the hard timeout.
const within = (p, ms = 3000) => Promise.race([p, sleep(ms)]);

// ---------------------------------------------------------------------------------------------
// Driving the client
// ---------------------------------------------------------------------------------------------

async function drive() {
  const first = capture("get-service-explicit-promise", () => true);
  const wm = await connectToServer({ server_url: baseUrl, client_id: CLIENT_ID, logger: null, method_timeout: 20 });
  await within(first);

  const reg = capture("register-service", (f) => isMethod(f, "services.default.register_service") && f.extra.args?.[0]?.id?.endsWith(":s1"));
  await wm.registerService({
    id: "s1", name: "s1", description: "golden fixture service", config: { visibility: "public" },
    version: "1.0.0",
    meta: { owner: "golden", replicas: 3, ratio: 0.5 },
    add(a, b) { return a + b; },
    math: { mul(a, b) { return a * b; }, neg(x) { return -x; } },
    async *count_up(n) { for (let i = 0; i < n; i++) yield i; },
    fail() { throw new Error("boom from golden fixture"); },
    async slow() { await sleep(700); return "done"; },
  });
  await within(reg);

  // The manager asks the client for its service, the way hypha does for another client's getService.
  const svcMapFrame = capture("resolve-service-map", (f) => f.main.to === MANAGER && /^mgr\d+\.resolve$/.test(f.main.method));
  await managerCall("services.built-in.get_service", ["s1"]);
  await within(svcMapFrame);

  const genFrame = capture("resolve-generator", (f) => /^mgr\d+\.resolve$/.test(f.main.method) && f.extra.args?.[0]?._rtype === "generator");
  const gen = await managerCall("services.s1.count_up", [3]);
  await within(genFrame);
  await managerCall(gen._rclose_method, []); // tidy: close it so the client drops the session

  const rejectFrame = capture("reject-error", (f) => /^mgr\d+\.reject$/.test(f.main.method));
  await managerCall("services.s1.fail", []).then(() => { throw new Error("fail() resolved"); }, () => {});
  await within(rejectFrame);

  const hbFrame = capture("heartbeat", (f) => /^mgr\d+\.heartbeat$/.test(f.main.method));
  await managerCall("services.s1.slow", [], 0.2);
  await within(hbFrame);

  // Client -> another peer, through a service map the manager hands out.
  const getSvc = capture("get-service-by-id", (f) => isMethod(f, "services.default.get_service"));
  const peer = await wm.getService("peer-svc");
  await within(getSvc);
  const kw = capture("call-with-kwargs", (f) => isMethod(f, "services.peer-svc.compute"));
  await peer.compute(1, { x: 2, y: "two", _rkwargs: true });
  await within(kw);

  const ta = capture("call-typedarray", (f) => isMethod(f, "services.peer-svc.echo") && f.extra.args?.[0]?._rtype === "typedarray");
  await peer.echo(new Float32Array([1.5, -2, 3.25]));
  await within(ta);

  const bd = capture("call-bytes-and-date", (f) => isMethod(f, "services.peer-svc.echo") && f.extra.args?.length === 2);
  await peer.echo(new Uint8Array([0, 1, 2, 255]), new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)));
  await within(bd);

  const cb = capture("callback-arg", (f) => isMethod(f, "services.peer-svc.notify"));
  await peer.notify(function onProgress(p) { return p; });
  await within(cb);

  await wm.disconnect();
}

// ---------------------------------------------------------------------------------------------
// Annotated msgpack dump for the README (our own tiny reader: it keeps key order and wire formats,
// which a normal decoder throws away).
// ---------------------------------------------------------------------------------------------

function readNode(buf, pos, formats) {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const b = buf[pos++];
  const note = (f) => formats.set(f, (formats.get(f) ?? 0) + 1);
  const str = (n, fmt) => { note(fmt); const v = new TextDecoder().decode(buf.subarray(pos, pos + n)); pos += n; return { t: "str", v }; };
  const bin = (n, fmt) => { note(fmt); pos += n; return { t: "bin", n }; };
  const ext = (n, fmt) => { note(fmt); const type = dv.getInt8(pos); const data = buf.subarray(pos + 1, pos + 1 + n); pos += 1 + n; return { t: "ext", type, data }; };
  const arr = (n, fmt) => { note(fmt); const items = []; for (let i = 0; i < n; i++) { const r = readNode(buf, pos, formats); items.push(r.node); pos = r.pos; } return { t: "arr", items }; };
  const map = (n, fmt) => {
    note(fmt); const entries = [];
    for (let i = 0; i < n; i++) { const k = readNode(buf, pos, formats); const v = readNode(buf, k.pos, formats); entries.push([k.node, v.node]); pos = v.pos; }
    return { t: "map", entries };
  };
  const int = (v, fmt, size) => { note(fmt); pos += size; return { t: "int", v }; };
  let node;
  if (b <= 0x7f) node = int(b, "positive fixint", 0);
  else if (b <= 0x8f) node = map(b & 0x0f, "fixmap");
  else if (b <= 0x9f) node = arr(b & 0x0f, "fixarray");
  else if (b <= 0xbf) node = str(b & 0x1f, "fixstr");
  else if (b >= 0xe0) node = int(b - 0x100, "negative fixint", 0);
  else switch (b) {
    case 0xc0: note("nil"); node = { t: "nil" }; break;
    case 0xc2: note("false"); node = { t: "bool", v: false }; break;
    case 0xc3: note("true"); node = { t: "bool", v: true }; break;
    case 0xc4: node = bin(dv.getUint8((pos += 1) - 1), "bin8"); break;
    case 0xc5: node = bin(dv.getUint16((pos += 2) - 2), "bin16"); break;
    case 0xc6: node = bin(dv.getUint32((pos += 4) - 4), "bin32"); break;
    case 0xc7: node = ext(dv.getUint8((pos += 1) - 1), "ext8"); break;
    case 0xc8: node = ext(dv.getUint16((pos += 2) - 2), "ext16"); break;
    case 0xc9: node = ext(dv.getUint32((pos += 4) - 4), "ext32"); break;
    case 0xca: note("float32"); node = { t: "float", v: dv.getFloat32(pos), fmt: "float32" }; pos += 4; break;
    case 0xcb: note("float64"); node = { t: "float", v: dv.getFloat64(pos), fmt: "float64" }; pos += 8; break;
    case 0xcc: node = int(dv.getUint8(pos), "uint8", 1); break;
    case 0xcd: node = int(dv.getUint16(pos), "uint16", 2); break;
    case 0xce: node = int(dv.getUint32(pos), "uint32", 4); break;
    case 0xcf: node = int(dv.getBigUint64(pos), "uint64", 8); break;
    case 0xd0: node = int(dv.getInt8(pos), "int8", 1); break;
    case 0xd1: node = int(dv.getInt16(pos), "int16", 2); break;
    case 0xd2: node = int(dv.getInt32(pos), "int32", 4); break;
    case 0xd3: node = int(dv.getBigInt64(pos), "int64", 8); break;
    case 0xd4: node = ext(1, "fixext1"); break;
    case 0xd5: node = ext(2, "fixext2"); break;
    case 0xd6: node = ext(4, "fixext4"); break;
    case 0xd7: node = ext(8, "fixext8"); break;
    case 0xd8: node = ext(16, "fixext16"); break;
    case 0xd9: node = str(dv.getUint8((pos += 1) - 1), "str8"); break;
    case 0xda: node = str(dv.getUint16((pos += 2) - 2), "str16"); break;
    case 0xdb: node = str(dv.getUint32((pos += 4) - 4), "str32"); break;
    case 0xdc: node = arr(dv.getUint16((pos += 2) - 2), "array16"); break;
    case 0xdd: node = arr(dv.getUint32((pos += 4) - 4), "array32"); break;
    case 0xde: node = map(dv.getUint16((pos += 2) - 2), "map16"); break;
    case 0xdf: node = map(dv.getUint32((pos += 4) - 4), "map32"); break;
    default: throw new Error(`reserved msgpack byte 0x${b.toString(16)} at ${pos - 1}`);
  }
  return { node, pos };
}

function timestampNote(data) {
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let sec, nsec = 0;
  if (data.length === 4) sec = dv.getUint32(0);
  else if (data.length === 8) { const hi = dv.getUint32(0); nsec = hi >>> 2; sec = (hi & 3) * 2 ** 32 + dv.getUint32(4); }
  else if (data.length === 12) { nsec = dv.getUint32(0); sec = Number(dv.getBigInt64(4)); }
  else return "";
  return ` /* timestamp sec=${sec} nsec=${nsec} = ${new Date(sec * 1000 + Math.floor(nsec / 1e6)).toISOString()} */`;
}

function render(node, indent = "") {
  const MAX = 160;
  switch (node.t) {
    case "nil": return "null";
    case "bool": return String(node.v);
    case "int": return String(node.v);
    case "float": return `${Number.isInteger(node.v) ? node.v.toFixed(1) : node.v} /* ${node.fmt} */`;
    case "str": return node.v.length > MAX ? `${JSON.stringify(node.v.slice(0, MAX))}… /* ${node.v.length} chars */` : JSON.stringify(node.v);
    case "bin": return `<bin ${node.n} bytes>`;
    case "ext": return `<ext ${node.type} ${node.data.length} bytes>${node.type === -1 ? timestampNote(node.data) : ""}`;
    case "arr": {
      if (node.items.length === 0) return "[]";
      const parts = node.items.map((n) => render(n, indent + "  "));
      if (!parts.some((p) => p.includes("\n")) && parts.join(", ").length < 80) return `[${parts.join(", ")}]`;
      return `[\n${parts.map((p) => `${indent}  ${p}`).join(",\n")}\n${indent}]`;
    }
    case "map": {
      if (node.entries.length === 0) return "{}";
      const lines = node.entries.map(([k, v]) => `${indent}  ${render(k)}: ${render(v, indent + "  ")}`);
      return `{\n${lines.join(",\n")}\n${indent}}`;
    }
  }
}

function dumpFrame(bytes) {
  const formats = new Map();
  const main = readNode(bytes, 0, formats);
  let out = `main (bytes 0..${main.pos}):\n${render(main.node)}\n`;
  if (main.pos < bytes.length) {
    const extra = readNode(bytes, main.pos, formats);
    out += `extra (bytes ${main.pos}..${extra.pos}):\n${render(extra.node)}\n`;
    if (extra.pos !== bytes.length) out += `!! ${bytes.length - extra.pos} trailing bytes\n`;
  } else out += "extra: (none)\n";
  out += `wire formats used: ${[...formats].map(([f, n]) => `${f}×${n}`).join(", ")}\n`;
  return out;
}

function writeOutputs() {
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const sections = [];
  for (const [name, , description] of WANTED) {
    const frame = captured.get(name);
    if (!frame) continue;
    fs.writeFileSync(path.join(OUT_DIR, `${name}.bin`), frame.bytes);
    sections.push(`## \`${name}.bin\` (${frame.bytes.length} bytes)\n\n${description}\n\n\`\`\`\n${dumpFrame(frame.bytes)}\`\`\`\n`);
  }
  const readme = `# hypha-frames: golden frames from the real npm hypha-rpc client

Each \`.bin\` file is ONE whole binary WebSocket message exactly as sent by the unmodified npm
\`hypha-rpc\` ${HYPHA_RPC_VERSION} client (Node ${process.version}): \`msgpack(main)\` immediately followed by
\`msgpack(extra)\`, no length prefix. The bytes are the client's own, i.e. before a server would rewrite
\`from\`/\`to\`/\`ws\`/\`user\` (the client stamps \`from\` itself as \`<ws>/<client_id>\`).

Produced by \`tests/interop/js/record-golden-frames.mjs\`:

\`\`\`
cd tests/interop/js && npm ci && node record-golden-frames.mjs
\`\`\`

The script runs a fake hypha server on 127.0.0.1 (workspace \`${WS}\`, manager \`${MANAGER}\`,
client id \`${CLIENT_ID}\`, fake peer \`${PEER}\`, \`public_base_url\` = \`http://127.0.0.1:<ephemeral port>\`,
client option \`method_timeout: 20\`). Session and object ids are random (\`randId()\`), so a re-run gives
different bytes with the same structure; the manager's own session ids are \`mgr<N>\`.

Dump notation: key order is the wire order; floats are annotated with their wire type
(\`/* float64 */\`); every other number is a msgpack int of the smallest width; \`<bin N bytes>\` is a
msgpack bin, \`<ext T N bytes>\` an ext of type T; strings longer than 160 chars are cut in the dump only.

${sections.join("\n")}`;
  fs.writeFileSync(path.join(OUT_DIR, "README.md"), readme);
}

// ---------------------------------------------------------------------------------------------

const { server, wss } = await startServer();
log("fake server at", baseUrl, "writing to", OUT_DIR);
let failed = false;
try {
  await drive();
} catch (e) {
  failed = true;
  console.error("[record] ERROR while driving the client:", e);
}
writeOutputs();
const missing = WANTED.filter(([name, required]) => required && !captured.has(name)).map(([n]) => n);
const optionalMissing = WANTED.filter(([name, required]) => !required && !captured.has(name)).map(([n]) => n);
if (optionalMissing.length) log("optional frames not captured:", optionalMissing.join(", "));
for (const c of wss.clients) c.terminate();
wss.close();
server.close();
if (missing.length) console.error("[record] ERROR: required frames not captured:", missing.join(", "));
log(`wrote ${captured.size} fixtures to ${OUT_DIR}`);
// hypha-rpc may leave timers (session sweeper) behind; exit explicitly once files are written.
process.exit(failed || missing.length ? 1 : 0);
