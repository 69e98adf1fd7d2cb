// The "floor" scenario: the least a Node.js gateway on Tollgate's stack can do per request. A bare
// Fastify route that parses the JSON body, makes one undici call to the upstream, and parses and
// re-serialises the JSON answer (streams are relayed as they come). It has no auth, limits, routing,
// logging or costs, so the gap between it and Tollgate is Tollgate's own cost and the gap between
// it and nginx is the runtime's.
'use strict';

const Fastify = require('fastify');
const { Pool } = require('undici');

function parseFloorArgs(argv) {
  const options = { host: '127.0.0.1', port: 0, upstream: null };
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].includes('=') ? argv[i].split(/=(.*)/s, 2) : [argv[i], undefined];
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`${name} needs a value`);
    if (name === '--host') options.host = value;
    else if (name === '--port') options.port = Number(value);
    else if (name === '--upstream') options.upstream = value;
    else throw new Error(`unknown option ${name}`);
  }
  if (!options.upstream) throw new Error('--upstream URL is required');
  if (!Number.isInteger(options.port) || options.port < 0) throw new Error('--port needs a whole number');
  return options;
}

/** Starts the floor proxy; resolves to { url, close }. */
async function startFloorProxy({ host, port, upstream }) {
  const pool = new Pool(upstream, { connections: 256, pipelining: 1 });
  const app = Fastify({ bodyLimit: 16 * 1024 * 1024 });
  const forward = (path) => async (request, reply) => {
    const answer = await pool.request({
      path,
      method: request.method,
      headers: { 'content-type': 'application/json', authorization: request.headers.authorization ?? '' },
      body: request.method === 'GET' ? undefined : JSON.stringify(request.body),
    });
    const contentType = String(answer.headers['content-type'] ?? 'application/json');
    reply.code(answer.statusCode).header('content-type', contentType);
    if (contentType.startsWith('text/event-stream')) return reply.send(answer.body);
    return reply.send(JSON.stringify(JSON.parse(await answer.body.text())));
  };
  app.post('/v1/chat/completions', forward('/v1/chat/completions'));
  app.get('/v1/models', forward('/v1/models'));
  const address = await app.listen({ host, port });
  return { url: address, close: async () => { await app.close(); await pool.close(); } };
}

if (require.main === module) {
  const options = parseFloorArgs(process.argv.slice(2));
  startFloorProxy(options).then(
    (floor) => {
      process.stdout.write(`floor proxy listening at ${floor.url}\n`);
      const stop = () => floor.close().then(() => process.exit(0));
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    },
    (err) => {
      process.stderr.write(`floor proxy: ${err.message}\n`);
      process.exit(1);
    },
  );
}

module.exports = { parseFloorArgs, startFloorProxy };
