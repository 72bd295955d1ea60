#!/usr/bin/env node
// The JS side of the `rpc` benchmark: calls method(1, 2) of a service through a hypha server, as fast as it can.
//
//   node bench-client.mjs --server-url URL --service ID --method NAME [--seconds S] [--concurrency C]
//                         [--latency] [--blocks] [--warmup S] [--client-id ID] [--method-timeout S]
//
// Throughput mode (default): C workers each loop `await method(1, 2)` for S seconds (after a warm-up);
// prints one JSON line {"mode":"throughput","calls":N,"seconds":S,"calls_per_s":X,"concurrency":C,"errors":E}.
// --latency: one worker, sequential calls, each timed with process.hrtime.bigint(); the line adds
// "p50_us","p90_us","p99_us","max_us","mean_us" (concurrency is forced to 1).
// --blocks: throughput blocks on command, for a driver that alternates them with its own: after the warm-up prints
// {"mode":"ready"}, then for each stdin line "run MS" runs C workers for MS milliseconds and prints
// {"mode":"block","calls":N,"seconds":S,"errors":E}; "quit" or the end of stdin disconnects and exits.
// Exits 0 after printing, 1 on a connection/lookup error or if every call failed, 2 on bad arguments,
// 3 if the run exceeds its own hard deadline (warm-up + seconds + 30 s; in --blocks mode, 60 s without a command or
// a block that overruns by 30 s).

import WebSocket from "ws";
globalThis.WebSocket ??= WebSocket; // Node 20 has no global WebSocket; hypha-rpc reads it (protocol doc §7)
import { connectToServer } from "hypha-rpc";

function usage(message) {
  process.stderr.write(
    `bench-client: ${message}\nusage: node bench-client.mjs --server-url URL --service ID --method NAME ` +
      `[--seconds S] [--concurrency C] [--latency] [--warmup S] [--client-id ID] [--method-timeout S]\n`,
  );
  process.exit(2);
}

function parseArgs(argv) {
  const o = { seconds: 5, concurrency: 1, latency: false, warmup: 1, clientId: undefined, methodTimeout: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${arg} needs a value`);
      return argv[++i];
    };
    const number = (min) => {
      const n = Number(value());
      if (!Number.isFinite(n) || n < min) usage(`${arg} must be a number >= ${min}`);
      return n;
    };
    switch (arg) {
      case "--server-url": o.serverUrl = value(); break;
      case "--service": o.service = value(); break;
      case "--method": o.method = value(); break;
      case "--seconds": o.seconds = number(0.1); break;
      case "--concurrency": o.concurrency = Math.floor(number(1)); break;
      case "--warmup": o.warmup = number(0); break;
      case "--latency": o.latency = true; break;
      case "--blocks": o.blocks = true; break;
      case "--client-id": o.clientId = value(); break;
      case "--method-timeout": o.methodTimeout = number(0.1); break;
      default: usage(`unknown argument ${arg}`);
    }
  }
  if (!o.serverUrl) usage("--server-url is required");
  if (!o.service) usage("--service is required");
  if (!o.method) usage("--method is required");
  if (o.latency) o.concurrency = 1;
  if (o.latency && o.blocks) usage("--latency and --blocks exclude each other");
  return o;
}

const o = parseArgs(process.argv.slice(2));

// Stops by itself whatever happens (a hung server, a lost resolve, a driver that went away).
let hardDeadline;
function armDeadline(seconds, what) {
  clearTimeout(hardDeadline);
  hardDeadline = setTimeout(() => {
    process.stderr.write(`bench-client: ${what} did not finish within ${seconds} s\n`);
    process.exit(3);
  }, seconds * 1000);
  hardDeadline.unref();
}
armDeadline(o.warmup + (o.blocks ? 60 : o.seconds + 30), "the run");

process.on("unhandledRejection", (reason) => {
  process.stderr.write(`bench-client: unhandled rejection: ${reason?.stack ?? reason}\n`);
});

const config = { server_url: o.serverUrl, logger: null };
if (o.clientId) config.client_id = o.clientId;
if (o.methodTimeout) config.method_timeout = o.methodTimeout;

let server;
let fn;
try {
  server = await connectToServer(config);
  const svc = await server.getService(o.service);
  fn = svc;
  for (const part of o.method.split(".")) fn = fn?.[part];
  if (typeof fn !== "function") throw new Error(`service ${o.service} has no function '${o.method}'`);
} catch (error) {
  process.stderr.write(`bench-client: ${error?.stack ?? error}\n`);
  process.exit(1);
}

let errors = 0;
let firstError = null;

/** Runs `workers` loops until `deadline` (a performance.now() value); returns the number of successful calls. */
async function runFor(ms, workers, timings) {
  const deadline = performance.now() + ms;
  let calls = 0;
  async function worker() {
    while (performance.now() < deadline) {
      const start = timings ? process.hrtime.bigint() : 0n;
      try {
        await fn(1, 2);
        calls++;
        if (timings) timings.push(Number(process.hrtime.bigint() - start) / 1000);
      } catch (error) {
        errors++;
        firstError ??= error?.message ?? String(error);
      }
    }
  }
  await Promise.all(Array.from({ length: workers }, worker));
  return calls;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[index] * 10) / 10;
}

const round = (x, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

if (o.warmup > 0) await runFor(o.warmup * 1000, o.concurrency, null);
errors = 0;
firstError = null;

async function disconnect() {
  try {
    await Promise.race([server.disconnect(), new Promise((r) => setTimeout(r, 2000))]);
  } catch {
    // leaving anyway
  }
}

if (o.blocks) {
  const { createInterface } = await import("node:readline");
  const commands = createInterface({ input: process.stdin, terminal: false });
  let total = 0;
  armDeadline(60, "waiting for a command");
  process.stdout.write(JSON.stringify({ mode: "ready" }) + "\n");
  for await (const line of commands) {
    const [command, argument] = line.trim().split(/\s+/);
    if (command === "quit") break;
    const ms = Number(argument);
    if (command !== "run" || !Number.isFinite(ms) || ms <= 0) {
      process.stderr.write(`bench-client: unknown command '${line}'\n`);
      process.exit(2);
    }
    armDeadline(ms / 1000 + 30, "a block");
    errors = 0;
    const start = performance.now();
    const calls = await runFor(ms, o.concurrency, null);
    total += calls;
    const block = { mode: "block", calls, seconds: round((performance.now() - start) / 1000, 3), errors };
    if (firstError) block.first_error = firstError;
    process.stdout.write(JSON.stringify(block) + "\n");
    armDeadline(60, "waiting for a command");
  }
  await disconnect();
  process.exit(total === 0 ? 1 : 0);
}

const timings = o.latency ? [] : null;
const start = performance.now();
const calls = await runFor(o.seconds * 1000, o.concurrency, timings);
const seconds = (performance.now() - start) / 1000;

const result = {
  mode: o.latency ? "latency" : "throughput",
  calls,
  seconds: round(seconds, 3),
  calls_per_s: round(calls / seconds),
  concurrency: o.concurrency,
  errors,
};
if (firstError) result.first_error = firstError;
if (timings) {
  timings.sort((a, b) => a - b);
  result.p50_us = percentile(timings, 50);
  result.p90_us = percentile(timings, 90);
  result.p99_us = percentile(timings, 99);
  result.max_us = timings.length ? round(timings[timings.length - 1]) : null;
  result.mean_us = timings.length ? round(timings.reduce((s, t) => s + t, 0) / timings.length) : null;
}
process.stdout.write(JSON.stringify(result) + "\n");

await disconnect();
process.exit(calls === 0 ? 1 : 0);
