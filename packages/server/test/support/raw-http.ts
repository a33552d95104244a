// HTTP/1.1 spoken byte by byte over a socket: any method, any bytes in the path and headers, any body, so a test
// can send what a well-behaved client library would refuse to.
import net from 'node:net';

export interface RawRequest {
  method: string;
  /** Request target bytes, sent as they are. */
  path: Buffer;
  headers: Array<[string, Buffer | string]>;
  body: Buffer | null;
}

export interface RawAnswer {
  /** 0 when the server closed the connection without a status line. */
  status: number;
  head: string;
}

/** Sends one request with Connection: close and resolves with the status line; rejects if no answer within `timeoutMs`. */
export function sendRaw(port: number, req: RawRequest, timeoutMs: number): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: match ? Number(match[1]) : 0, head: text.split('\r\n\r\n')[0].slice(0, 400) });
    };
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      // An event stream (GET /api/v1/events) never ends by design: its status line and headers are the answer.
      const head = Buffer.concat(chunks).toString('latin1');
      if (head.includes('\r\n\r\n') && /^content-type: text\/event-stream/im.test(head.split('\r\n\r\n')[0])) {
        socket.destroy();
        finish();
      }
    });
    socket.on('end', finish);
    // A server may answer (413, 400) and close while the body is still being written: the answer counts.
    socket.on('error', () => finish());
    const lines: Buffer[] = [
      Buffer.from(`${req.method} `, 'latin1'),
      req.path,
      Buffer.from(' HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n'),
    ];
    for (const [name, value] of req.headers)
      lines.push(Buffer.from(`${name}: `, 'latin1'), Buffer.isBuffer(value) ? value : Buffer.from(value, 'latin1'), Buffer.from('\r\n'));
    if (req.body) lines.push(Buffer.from(`Content-Length: ${req.body.length}\r\n`));
    lines.push(Buffer.from('\r\n'));
    if (req.body) lines.push(req.body);
    socket.end(Buffer.concat(lines));
  });
}
