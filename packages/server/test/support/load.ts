// Client loops that send requests back to back over keep-alive connections and record what was acknowledged.
import http from 'node:http';

export interface Sent {
  path: string;
  method?: string;
  body?: string;
}

export interface LoopResult {
  /** Requests answered 2xx: the server promised these are stored. */
  acknowledged: Sent[];
  answered: number;
  statuses: Map<number, number>;
  /** Time of each answered request, ms (for latency percentiles). */
  latencies: number[];
}

/** One request on a keep-alive agent; rejects on a connection error (e.g. the server was killed). */
export function send(agent: http.Agent, base: string, req: Sent): Promise<number> {
  return new Promise((resolve, reject) => {
    const r = http.request(
      base + req.path,
      {
        method: req.method ?? 'GET',
        agent,
        headers: req.body ? { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(req.body) } : {},
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    r.on('error', reject);
    r.end(req.body);
  });
}

/**
 * Runs `loops` concurrent loops, each sending `next(loop, seq)` back to back on its own connection, until
 * `stop()` returns true or the server goes away. Never throws: a refused connection just ends the loop.
 * `result` fills in as answers arrive, so a caller can watch progress.
 */
export async function runLoops(
  base: string,
  loops: number,
  next: (loop: number, seq: number) => Sent,
  stop: () => boolean,
  result: LoopResult = { acknowledged: [], answered: 0, statuses: new Map(), latencies: [] },
): Promise<LoopResult> {
  const one = async (loop: number) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let seq = 0; !stop(); seq += 1) {
        const req = next(loop, seq);
        const t0 = performance.now();
        let status: number;
        try {
          status = await send(agent, base, req);
        } catch {
          return;
        }
        result.latencies.push(performance.now() - t0);
        result.answered += 1;
        result.statuses.set(status, (result.statuses.get(status) ?? 0) + 1);
        if (status >= 200 && status < 300) result.acknowledged.push(req);
      }
    } finally {
      agent.destroy();
    }
  };
  await Promise.all(Array.from({ length: loops }, (_, i) => one(i)));
  return result;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
