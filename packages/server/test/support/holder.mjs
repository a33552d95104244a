// Holds many connections to a server from its own process: half idle (not a byte sent), half slow (a request
// line and headers trickled in, never finished). Reports progress as JSON lines on stdout; exits when stdin closes.
// Usage: node holder.mjs PORT COUNT
import net from 'node:net';

const [port, count] = process.argv.slice(2).map(Number);
const sockets = [];
let closedByServer = 0;
let refused = 0;

function open(i) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.on('connect', () => {
      if (i % 2 === 1) socket.write(`GET /ping/slowloris${i} HTTP/1.1\r\nHost: 127.0.0.1\r\n`);
      resolve();
    });
    socket.on('error', () => {
      refused += 1;
      resolve();
    });
    socket.on('close', () => {
      closedByServer += 1;
    });
    socket.on('data', () => {});
    sockets.push(socket);
  });
}

for (let i = 0; i < count; i += 500) {
  await Promise.all(Array.from({ length: Math.min(500, count - i) }, (_, j) => open(i + j)));
}
const open_ = () => sockets.filter((s) => !s.destroyed && s.readyState === 'open').length;
process.stdout.write(JSON.stringify({ event: 'opened', open: open_(), refused }) + '\n');
// The slow half sends one more header line now and then, never the blank line that ends the headers.
const trickle = setInterval(() => {
  for (let i = 1; i < sockets.length; i += 2) if (!sockets[i].destroyed) sockets[i].write(`X-Slow-${Date.now()}: 1\r\n`);
}, 500);
const status = setInterval(
  () => process.stdout.write(JSON.stringify({ event: 'status', open: open_(), closedByServer, refused }) + '\n'),
  250,
);
process.stdin.on('end', () => {
  clearInterval(trickle);
  clearInterval(status);
  for (const s of sockets) s.destroy();
  process.exit(0);
});
process.stdin.resume();
