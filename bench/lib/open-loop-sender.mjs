// An open-loop HTTP sender, run as a child process of a benchmark: every request has a scheduled send time fixed in
// advance and its latency is measured from that time, not from when a free connection let it leave (a closed-loop
// tool such as wrk or autocannon would slow down with the server and hide the queue). Requests go over raw keep-alive
// TCP sockets with hand-written HTTP/1.1, one request in flight per socket, so the sender itself stays cheap.
//
// Message in: { port, schedulePath, connections, t0 }. The schedule file is JSON: { at: [ms after t0], path: [string],
// after: [index of the request that must be answered first, or -1] } — a job's `success` follows its `start`.
// Message out: per request, the answer time (ms epoch; 0 = none) and HTTP status (0 = connection error).
import fs from 'node:fs';
import net from 'node:net';

process.once('message', async ({ port, schedulePath, connections, t0 }) => {
  const { at: offsets, path: paths, after } = JSON.parse(fs.readFileSync(schedulePath, 'utf8'));
  const at = offsets.map((ms) => t0 + ms);
  const n = at.length;
  const doneAt = new Float64Array(n);
  const status = new Uint16Array(n);
  // Requests waiting for their predecessor's answer, by predecessor.
  const waiting = new Map();
  const ready = [];
  let readyHead = 0;
  let finished = 0;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => at[a] - at[b]);
  let next = 0;

  const sockets = await Promise.all(
    Array.from(
      { length: connections },
      () =>
        new Promise((resolve, reject) => {
          const socket = net.connect({ port, host: '127.0.0.1', noDelay: true }, () => resolve(socket));
          socket.once('error', reject);
        }),
    ),
  );
  const idle = [];

  function send(socket, i) {
    socket.current = i;
    socket.write(`POST ${paths[i]} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n`);
  }
  function settle(i, code) {
    doneAt[i] = performance.timeOrigin + performance.now();
    status[i] = code;
    finished += 1;
    const follower = waiting.get(i);
    if (follower != null) {
      waiting.delete(i);
      ready.push(follower);
    }
    if (finished === n) {
      for (const s of sockets) s.destroy();
      process.send({ doneAt: Array.from(doneAt), status: Array.from(status) }, () => process.exit(0));
    }
  }
  function pump() {
    while (idle.length && readyHead < ready.length) send(idle.pop(), ready[readyHead++]);
    if (readyHead > 100_000) {
      ready.splice(0, readyHead);
      readyHead = 0;
    }
  }
  for (const socket of sockets) {
    let buffer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk) => {
      buffer += chunk;
      for (;;) {
        const headEnd = buffer.indexOf('\r\n\r\n');
        if (headEnd < 0) return;
        const head = buffer.slice(0, headEnd);
        const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
        let end;
        if (length) end = headEnd + 4 + Number(length[1]);
        else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
          const last = buffer.indexOf('\r\n0\r\n\r\n', headEnd);
          end = last < 0 ? Infinity : last + 7;
        } else end = headEnd + 4;
        if (buffer.length < end) return;
        buffer = buffer.slice(end);
        const i = socket.current;
        socket.current = -1;
        settle(i, Number(head.slice(9, 12)));
        idle.push(socket);
        pump();
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      // A dropped connection fails its request; the rest carry on over the other sockets.
      if (socket.current >= 0) settle(socket.current, 0);
      socket.current = -1;
      const k = idle.indexOf(socket);
      if (k >= 0) idle.splice(k, 1);
    });
    socket.current = -1;
    idle.push(socket);
  }

  process.send({ connected: true });
  // Releases each request at its scheduled time (a request whose predecessor is unanswered waits for that answer).
  const tick = () => {
    const now = performance.timeOrigin + performance.now();
    while (next < n && at[order[next]] <= now) {
      const i = order[next++];
      const before = after[i];
      if (before >= 0 && doneAt[before] === 0) waiting.set(before, i);
      else ready.push(i);
    }
    pump();
    if (next < n) setTimeout(tick, Math.max(0, Math.min(1, at[order[next]] - now)));
  };
  tick();
});
