// Child process: an open-loop load generator. Requests leave at fixed intervals whatever the server does, and
// latency is measured from each request's scheduled time, so a stalled server cannot hide its queueing delay.
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

process.once('message', async ({ url, paths, rate, seconds, connections }) => {
  const target = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies = [];
  let non2xx = 0;
  let errors = 0;
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const start = performance.now() + 50;
  let sent = 0;
  let done = 0;
  // The generator's own delays: on a shared machine they show up in every latency it measures, the server's or not.
  const ownDelay = monitorEventLoopDelay({ resolution: 1 });
  ownDelay.enable();
  await new Promise((resolve) => {
    const fire = (i) => {
      const scheduled = start + i * interval;
      const req = http.request(
        { host: target.hostname, port: target.port, method: 'POST', path: paths[i % paths.length], agent },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - scheduled);
            if (res.statusCode < 200 || res.statusCode >= 300) non2xx += 1;
            finish();
          });
        },
      );
      req.on('error', () => {
        errors += 1;
        finish();
      });
      req.end();
    };
    const finish = () => {
      done += 1;
      if (done === total) resolve();
    };
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - start) / interval) + 1);
      while (sent < due) fire(sent++);
      if (sent < total) setTimeout(tick, Math.max(0, Math.min(1, start + sent * interval - performance.now())));
    };
    setTimeout(tick, 50);
  });
  ownDelay.disable();
  latencies.sort((a, b) => a - b);
  agent.destroy();
  process.send(
    {
      sent: total,
      rps: total / seconds,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies[latencies.length - 1],
      non2xx,
      errors,
      generatorLagP99: ownDelay.percentile(99) / 1e6,
    },
    () => process.exit(0),
  );
});
