// Low-level HTTP for tests: exact requests (any method, raw bytes) and a scriptable receiver on loopback.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * Sends one request with exactly these bytes. A server may answer (e.g. 413) before it has read the whole body
 * and then close the socket: the answer counts, the write error that follows does not.
 */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string | number>; body?: Buffer | string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const request = http.request(url, { method: options.method ?? 'GET', headers: options.headers, agent: false }, (response) => {
      answered = true;
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
      response.on('error', reject);
    });
    request.on('error', (error) => {
      if (!answered) reject(error);
    });
    request.end(options.body);
  });
}

/** A JSON request to `base + route` with `key` as X-Api-Key (null: none); the answer's body parsed when it is JSON. */
export async function apiRequest(
  base: string,
  method: string,
  route: string,
  body: unknown,
  key: string | null,
): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = {};
  if (key) headers['x-api-key'] = key;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(base + route, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // keep the text
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

export interface Received {
  method: string;
  /** The request's path and query, as sent. */
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: any;
}

/**
 * An answer: a status, a status with a body and headers, or 'hold' (never answer: a receiver hanging mid-request).
 * Without a body, a 2xx answers {"ok":true} and anything else an Overdue-style error naming the status.
 */
export type Answer = number | { status: number; body?: string; headers?: Record<string, string> } | 'hold';

export interface Receiver {
  url: string;
  requests: Received[];
  /** Answers for the next requests, in order; when the list is empty the receiver answers `fallback`. */
  answers: Answer[];
  fallback: Answer;
  /** Resolves once `count` requests have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  /** Requests whose path starts with `prefix`. */
  at(prefix: string): Received[];
  close(): Promise<void>;
}

/** A receiver on 127.0.0.1 (webhooks, a scripted or silent server) that records every request and answers as scripted. */
export async function startReceiver(fallback: Answer = 200): Promise<Receiver> {
  const requests: Received[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const held = new Set<http.ServerResponse>();
  const receiver: Receiver = {
    url: '',
    requests,
    answers: [],
    fallback,
    waitFor(count, timeoutMs = 10_000) {
      if (requests.length >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`receiver got ${requests.length} requests, expected ${count}`)), timeoutMs);
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    at: (prefix) => requests.filter((r) => r.path.startsWith(prefix)),
    async close() {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown = null;
      try {
        json = body ? JSON.parse(body) : null;
      } catch {
        // not JSON: keep the text only
      }
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, json });
      for (const w of [...waiters])
        if (requests.length >= w.count) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      const answer = receiver.answers.length ? receiver.answers.shift()! : receiver.fallback;
      if (answer === 'hold') {
        held.add(res);
        return;
      }
      const { status, body: text, headers } = typeof answer === 'number' ? { status: answer, body: undefined, headers: {} } : answer;
      res
        .writeHead(status, { 'content-type': 'application/json', ...headers })
        .end(text ?? (status < 300 ? '{"ok":true}' : JSON.stringify({ error: { code: 'scripted', message: `scripted ${status}` } })));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  receiver.url = `http://127.0.0.1:${port}`;
  return receiver;
}
