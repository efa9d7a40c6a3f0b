// A target written with Node.js's http module: keep-alive HTTP/1.1, chunked bodies (several
// writes, no length) and a length-delimited echo of POST bodies. Prints its port,
// counts the requests it answers, and tells the count at /count.
const http = require('http');

let count = 0;
const server = http.createServer((req, res) => {
  if (req.url === '/count') {
    res.end(String(count));
    return;
  }
  count += 1;
  if (req.url === '/echo') {
    const parts = [];
    req.on('data', (c) => parts.push(c));
    req.on('end', () => res.end(Buffer.concat(parts)));
    return;
  }
  res.setHeader('Content-Type', 'text/plain');
  res.write('node says ');
  setImmediate(() => {
    res.write('chunk-two ');
    res.end('end');
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
