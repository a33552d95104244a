// Baseline for alert latency: bare Node setting a timer at each deadline and POSTing to the same receiver.
import http from 'node:http';

process.once('message', ({ url, deadlines }) => {
  const agent = new http.Agent({ keepAlive: true });
  for (const [id, at] of deadlines) {
    setTimeout(
      () => {
        const body = JSON.stringify({ event: 'check.down', check: { id }, flip: { at: new Date(at).toISOString() } });
        const req = http.request(`${url}/baseline`, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) =>
          res.resume(),
        );
        req.on('error', () => {});
        req.end(body);
      },
      Math.max(0, at - Date.now()),
    );
  }
  process.on('disconnect', () => process.exit(0));
});
