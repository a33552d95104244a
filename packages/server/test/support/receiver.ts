// A webhook receiver on 127.0.0.1 that takes its time to answer (so a kill lands while deliveries are in flight)
// and records every request's idempotency key.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlowReceiver {
  url: string;
  /** Idempotency keys in arrival order (a key twice means a notification was sent again). */
  keys: string[];
  close(): Promise<void>;
}

export async function startSlowReceiver(delayMs: () => number): Promise<SlowReceiver> {
  const keys: string[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      keys.push(String(req.headers['idempotency-key'] ?? ''));
      setTimeout(() => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'), delayMs());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    keys,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
