// The baseline: a bare Node HTTP server that reads the request and answers "OK", nothing else.
import http from 'node:http';

const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('OK');
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log(`baseline listening on ${server.address().port}`));
