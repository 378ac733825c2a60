// Loaded with NODE_OPTIONS="--import <this file>" into the slipway binary by test/cli/sandbox-offline.test.ts:
// every way Node opens a connection or resolves a name is wrapped, and any destination that is not this
// machine (loopback, or a local socket path) is recorded in $SLIPWAY_OFFLINE_LOG and refused.
import { appendFileSync } from 'node:fs';
import dns from 'node:dns';
import net from 'node:net';
import tls from 'node:tls';

const log = process.env.SLIPWAY_OFFLINE_LOG;

function isLocal(host) {
  if (host === undefined || host === null || host === '') return true; // Node's default is localhost
  const h = String(host).replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\./.test(h) || /^::ffff:127\./.test(h);
}

function record(via, destination) {
  const line = { via, destination, pid: process.pid, argv: process.argv.slice(2).join(' '), stack: (new Error().stack ?? '').split('\n').slice(3, 9).map((s) => s.trim()) };
  if (log) appendFileSync(log, `${JSON.stringify(line)}\n`);
}

function refused(destination) {
  return Object.assign(new Error(`offline test: ${destination} is not on this machine; refused`), { code: 'ECONNREFUSED' });
}

/** Where a connect call goes: { local } for a socket path or loopback, else "host:port". */
function destinationOf(args) {
  let [first, second] = args;
  if (Array.isArray(first)) [first, second] = first; // net's internally normalized arguments
  if (typeof first === 'string' && !/^\d+$/.test(first)) return { local: true }; // a socket path
  if (first && typeof first === 'object') {
    if (first.path) return { local: true };
    return isLocal(first.host) ? { local: true } : { local: false, text: `${first.host}:${first.port ?? ''}` };
  }
  const host = typeof second === 'string' ? second : undefined;
  return isLocal(host) ? { local: true } : { local: false, text: `${host}:${first}` };
}

// The catch-all: every TCP connection (net, tls, http agents, undici) ends in Socket#connect.
const socketConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const where = destinationOf(args);
  if (where.local) return socketConnect.apply(this, args);
  record('net.Socket#connect', where.text);
  process.nextTick(() => this.destroy(refused(where.text)));
  return this;
};

for (const [module, name] of [
  [net, 'connect'],
  [net, 'createConnection'],
  [tls, 'connect'],
]) {
  const original = module[name];
  module[name] = function (...args) {
    const where = destinationOf(args);
    if (!where.local) record(`${module === tls ? 'tls' : 'net'}.${name}`, where.text);
    // Goes on to Socket#connect, which refuses it.
    return original.apply(this, args);
  };
}

const lookup = dns.lookup;
dns.lookup = function (hostname, options, callback) {
  if (isLocal(hostname) || net.isIP(String(hostname))) return lookup.call(this, hostname, options, callback);
  record('dns.lookup', hostname);
  const done = typeof options === 'function' ? options : callback;
  process.nextTick(() => done(Object.assign(new Error(`offline test: no lookup of ${hostname}`), { code: 'ENOTFOUND', hostname })));
  return {};
};
const lookupPromise = dns.promises.lookup;
dns.promises.lookup = async function (hostname, options) {
  if (isLocal(hostname) || net.isIP(String(hostname))) return lookupPromise.call(this, hostname, options);
  record('dns.promises.lookup', hostname);
  throw Object.assign(new Error(`offline test: no lookup of ${hostname}`), { code: 'ENOTFOUND', hostname });
};
