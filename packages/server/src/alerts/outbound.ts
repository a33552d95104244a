// Outbound HTTP for channels: every request has a timeout, and private/loopback/link-local/metadata addresses
// are refused after DNS resolution, inside the connection's own lookup (so a DNS answer cannot change in between).
import http from 'node:http';
import https from 'node:https';
import dns from 'node:dns';
import net from 'node:net';

// One list per family: BlockList also matches IPv4 addresses against ::ffff:-mapped IPv6 rules.
const blockedV4 = new net.BlockList();
const blockedV6 = new net.BlockList();
for (const [prefix, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blockedV4.addSubnet(prefix, bits, 'ipv4');
// IPv6: unspecified, loopback, IPv4-compatible and IPv4-mapped forms, unique-local (incl. cloud metadata fd00:ec2::254),
// link-local, multicast, NAT64 (well-known and local-use prefixes), SIIT's IPv4-translated form and 6to4, each of
// which can wrap any IPv4 address.
for (const [prefix, bits] of [
  ['::', 96],
  ['::1', 128],
  ['::ffff:0:0', 96],
  ['::ffff:0:0:0', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['2002::', 16],
] as const) {
  blockedV6.addSubnet(prefix, bits, 'ipv6');
}

/** True for addresses a webhook must not reach by default: loopback, private, link-local (cloud metadata), multicast. */
export function isPrivateAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return blockedV4.check(address, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return blockedV4.check(mapped[1], 'ipv4');
    return blockedV6.check(address, 'ipv6');
  }
  return true;
}

export class OutboundRefused extends Error {
  readonly code = 'target_refused';
}

export interface OutboundResponse {
  status: number;
  body: string;
}

export interface OutboundOptions {
  allowPrivate: boolean;
  timeoutMs: number;
}

/**
 * The refusal says neither the host nor what it resolved to: a channel test must not tell whoever edits a channel
 * what internal names resolve to (a map of the private network).
 */
function refusal(): OutboundRefused {
  return new OutboundRefused('target refused: private or loopback address; set OVERDUE_ALLOW_PRIVATE_TARGETS=true to allow it');
}

const DNS_FAILURES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'ENODATA', 'ESERVFAIL', 'EREFUSED', 'ETIMEOUT', 'ENONAME']);

/** A DNS failure as a plain sentence: the resolver's own message names the resolver and what it answered. */
export function withoutDnsDetails(error: unknown): unknown {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && DNS_FAILURES.has(code) ? Object.assign(new Error('could not resolve the host name'), { code }) : error;
}

/** Resolves a host for a non-HTTP transport (SMTP) and applies the same guard; returns the address to connect to. */
export async function resolveGuarded(hostname: string, allowPrivate: boolean): Promise<string> {
  const host = hostname.replace(/^\[|\]$/g, '');
  let list: Array<{ address: string }>;
  try {
    list = net.isIP(host) ? [{ address: host }] : await dns.promises.lookup(host, { all: true });
  } catch (error) {
    throw withoutDnsDetails(error);
  }
  const refused = list.find((a) => !allowPrivate && isPrivateAddress(a.address));
  if (refused) throw refusal();
  return list[0].address;
}

function guardedLookup(allowPrivate: boolean): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as dns.LookupAddress[];
      const refused = list.find((a) => !allowPrivate && isPrivateAddress(a.address));
      if (refused) return callback(refusal(), '', 0);
      if ((options as dns.LookupOptions).all) return (callback as (error: null, addresses: dns.LookupAddress[]) => void)(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
}

/** Sends one HTTP request; rejects on refusal, network error or timeout. Response bodies are capped at 64 KB. */
export function sendHttp(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string },
  options: OutboundOptions,
): Promise<OutboundResponse> {
  return new Promise((resolve, reject) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      // The URL may carry a token (Telegram puts the bot token in the path): never echo it.
      return reject(new Error('not a valid URL'));
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') return reject(new Error(`unsupported URL scheme ${target.protocol}`));
    const host = target.hostname.replace(/^\[|\]$/g, '');
    // A literal IP skips DNS, so check it here.
    if (net.isIP(host) && !options.allowPrivate && isPrivateAddress(host)) {
      return reject(refusal());
    }
    const transport = target.protocol === 'https:' ? https : http;
    const body = init.body ?? '';
    const request = transport.request(
      target,
      {
        method: init.method ?? 'POST',
        headers: { 'content-length': Buffer.byteLength(body), ...init.headers },
        lookup: guardedLookup(options.allowPrivate),
        timeout: options.timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < 65536) chunks.push(chunk);
          size += chunk.length;
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8').slice(0, 65536) }),
        );
        response.on('error', reject);
      },
    );
    const deadline = setTimeout(() => request.destroy(new Error(`timed out after ${options.timeoutMs} ms`)), options.timeoutMs);
    request.on('timeout', () => request.destroy(new Error(`timed out after ${options.timeoutMs} ms`)));
    request.on('error', (error) => {
      clearTimeout(deadline);
      reject(withoutDnsDetails(error));
    });
    request.on('close', () => clearTimeout(deadline));
    request.end(body);
  });
}
