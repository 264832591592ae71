/**
 * A load balancer for the load test, in a process of its own so that what it measures is not
 * held up by the stations' work: plain HTTP on 127.0.0.1 in front of several register nodes.
 *
 *   node bench/balancer.mjs <lossEvery> <port of node 1> <port of node 2> …
 *
 * Each station's calls of one kind go to the nodes in turn (its 1st push to one node, its 2nd to
 * the next…), so one station's pushes always alternate between the nodes. Each station's every
 * `lossEvery`-th push loses its answer: the node has answered (and committed); the station's
 * connection is cut instead (0: none lost). The client's address goes on in X-Forwarded-For, a
 * made-up one per station, as a real balancer passes on each client's own.
 *
 * It prints `{"url": …}` once listening. On stdin, `stats` prints what it measured (per kind of
 * call: count, statuses, p50/p99/max latency from the request's arrival to the node's full answer;
 * how many stations' pushes went to every node),
 * `reset` forgets it.
 */
import http from 'node:http';
import readline from 'node:readline';

const [lossArg, ...ports] = process.argv.slice(2);
const lossEvery = Number(lossArg);
const nodes = ports.map(Number);
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** Per station (its token, or its enrolment's number), the calls of each kind so far. */
const calls = new Map();
/** Stations in the order first seen, for their made-up addresses. */
const stations = new Map();
let enrolments = 0;
/** Per station, the nodes its pushes went to. */
const pushedTo = new Map();
let stats;
const reset = () => {
  stats = { started: Date.now(), kinds: {}, lostAcks: 0, failed: 0 };
};
reset();

const kindOf = (url) => {
  const path = url.split('?', 1)[0];
  return path.replace(/^\/(sync\/)?/, '') || 'root';
};
const HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'x-forwarded-for']);

const server = http.createServer((req, res) => {
  const arrived = performance.now();
  const kind = kindOf(req.url ?? '/');
  const token = req.headers.authorization ?? `enrol ${++enrolments}`;
  if (!stations.has(token)) stations.set(token, stations.size + 1);
  const who = stations.get(token);
  const key = `${token}\u0000${kind}`;
  const nth = (calls.get(key) ?? 0) + 1;
  calls.set(key, nth);
  // Stations start at different nodes, then take turns.
  const port = nodes[(nth - 1 + who) % nodes.length];
  if (kind === 'push') pushedTo.set(token, (pushedTo.get(token) ?? new Set()).add(port));
  const lose = kind === 'push' && lossEvery > 0 && nth % lossEvery === 0;
  const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !HOP.has(k)));
  headers['x-forwarded-for'] = `10.${(who >> 16) & 255}.${(who >> 8) & 255}.${who & 255}`;
  const body = [];
  req.on('data', (c) => body.push(c));
  req.on('end', () => {
    const send = (retry) => {
      const up = http.request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers, agent }, (answer) => {
        const chunks = [];
        answer.on('data', (c) => chunks.push(c));
        answer.on('end', () => {
          const k = (stats.kinds[kind] ??= { count: 0, statuses: {}, ms: [] });
          k.count++;
          k.statuses[answer.statusCode] = (k.statuses[answer.statusCode] ?? 0) + 1;
          k.ms.push(performance.now() - arrived);
          if (lose) {
            stats.lostAcks++;
            res.socket?.destroy();
            return;
          }
          const out = Object.fromEntries(Object.entries(answer.headers).filter(([h]) => !HOP.has(h)));
          res.writeHead(answer.statusCode ?? 502, out);
          res.end(Buffer.concat(chunks));
        });
      });
      up.on('error', (e) => {
        // A kept-alive connection the node closed just as it was taken again: the request never
        // reached the node, and goes again on a new connection (as balancers do).
        if (retry && up.reusedSocket && e.code === 'ECONNRESET') return send(false);
        stats.failed++;
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      up.end(Buffer.concat(body));
    };
    send(true);
  });
});
// Stations' connections stay open until the stations close them: a balancer closing an idle one
// just as a station sends on it would cut a request through no fault of the register's.
server.keepAliveTimeout = 600_000;

const pct = (sorted, p) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` })}\n`);
});

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'reset') {
    reset();
    process.stdout.write('{"reset":true}\n');
  } else if (line === 'stats') {
    const kinds = Object.fromEntries(
      Object.entries(stats.kinds).map(([k, v]) => {
        const s = [...v.ms].sort((a, b) => a - b);
        return [k, { count: v.count, statuses: v.statuses, p50: pct(s, 50), p99: pct(s, 99), max: s.at(-1) ?? 0 }];
      }),
    );
    process.stdout.write(`${JSON.stringify({ stats: { ms: Date.now() - stats.started, kinds, lostAcks: stats.lostAcks, failed: stats.failed, alternated: [...pushedTo.values()].filter((p) => p.size === nodes.length).length } })}\n`);
  } else if (line === 'close') server.close(() => process.exit(0));
});
process.stdin.on('end', () => process.exit(0));
