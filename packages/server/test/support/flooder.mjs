// A hostile client in its own process: floods one URL over many keep-alive connections from its own loopback
// address for a while, then prints how it was answered as JSON. Usage: node flooder.mjs URL SECONDS CONNECTIONS LOCAL_ADDRESS
import http from 'node:http';

const [url, seconds, connections, localAddress] = process.argv.slice(2);
const end = Date.now() + Number(seconds) * 1000;
const statuses = {};
let sent = 0;

async function loop() {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1, localAddress });
  while (Date.now() < end) {
    const status = await new Promise((resolve) => {
      const req = http.get(url, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      });
      req.on('error', () => resolve(0));
    });
    sent += 1;
    statuses[status] = (statuses[status] ?? 0) + 1;
  }
  agent.destroy();
}

await Promise.all(Array.from({ length: Number(connections) }, loop));
process.stdout.write(JSON.stringify({ sent, statuses }) + '\n');
