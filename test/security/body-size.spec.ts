import { connect } from 'node:net';
import { DistApi, distClient, startDistApi } from './dist-api';

/**
 * A large body is refused before it is read: authentication and the role are checked in an
 * onRequest hook, and each route has its limit. Measured on the built API as a child process
 * (RSS read from /proc/<pid>/status), with bodies generated as streams (never held by the test).
 */
const MB = 1024 * 1024;

/**
 * POSTs `size` bytes of a JSON array made on the fly over a raw socket, reading the answer while
 * still writing (as browsers and curl do); a write refused because the server stopped reading is
 * expected. Resolves with the answer's status and body.
 */
function streamBody(
  baseUrl: string,
  path: string,
  size: number,
  headers: Record<string, string> = {},
  sized = false,
): Promise<{ status: number; body: string; sent: number }> {
  const row = Buffer.from('{"code":"X1","name":"Chi bộ thôn Đông","tier":"cell","parentCode":"P"},');
  const chunk = Buffer.concat(Array.from({ length: Math.floor((64 * 1024) / row.length) }, () => row));
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let received = Buffer.alloc(0);
    let sent = 0;
    let done = false;
    const finish = (error?: Error) => {
      if (done) return;
      const text = received.toString('utf8');
      const head = /^HTTP\/1\.1 (\d{3})[^]*?\r\n\r\n/.exec(text);
      if (!head) {
        if (error) {
          done = true;
          socket.destroy();
          reject(new Error(`no answer after ${sent} bytes: ${error.message}`));
        }
        return;
      }
      const length = Number(/content-length: (\d+)/i.exec(head[0])?.[1] ?? NaN);
      const body = text.slice(head[0].length);
      if (!error && !(Buffer.byteLength(body) >= length)) return;
      done = true;
      socket.destroy();
      resolve({ status: Number(head[1]), body, sent });
    };
    socket.on('data', (c: Buffer) => {
      received = Buffer.concat([received, c]);
      finish();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (!['EPIPE', 'ECONNRESET'].includes(error.code ?? '')) finish(error);
    });
    socket.on('close', () => finish(new Error('closed')));
    const lines = [
      `POST ${url.pathname} HTTP/1.1`,
      `Host: ${url.host}`,
      'Content-Type: application/json',
      sized ? `Content-Length: ${size}` : 'Transfer-Encoding: chunked',
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    ];
    const frame = (data: Buffer) =>
      sized ? data : Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')]);
    const pump = () => {
      while (!done && !socket.destroyed) {
        const data = sent === 0 ? Buffer.from('[') : sent + chunk.length >= size ? Buffer.from('{}]'.padStart(size - sent, ' ')) : chunk;
        sent += data.length;
        const last = sent >= size;
        const ok = socket.write(last && !sized ? Buffer.concat([frame(data), Buffer.from('0\r\n\r\n')]) : frame(data));
        if (last) return;
        if (!ok) return void socket.once('drain', pump);
      }
    };
    socket.once('connect', () => {
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
      pump();
    });
  });
}

describe('bodies refused before they are read (built API, child process)', () => {
  let api: DistApi;
  let adminToken: string;
  let viewerToken: string;
  beforeAll(async () => {
    api = await startDistApi({ IMPORT_BODY_LIMIT_MB: '300' });
    const client = await distClient(api);
    adminToken = client.adminToken;
    viewerToken = await client.loginAs('viewer', client.rootUnitId);
    // Warm up: the first requests load code paths and allocate pools.
    for (let i = 0; i < 20; i++) await fetch(`${api.baseUrl}/api/me`, { headers: { authorization: `Bearer ${adminToken}` } });
  }, 240_000);
  afterAll(async () => api?.stop());

  it('a 200 MB body without a token is refused with 401, and the API’s RSS grows by less than 10 MB', async () => {
    const before = api.rssMb();
    const res = await streamBody(api.baseUrl, '/api/units/import', 200 * MB);
    const after = api.rssMb();
    console.log(
      `200 MB unauthenticated import: ${res.status}; client wrote ${(res.sent / MB).toFixed(1)} MB before the answer; API RSS ${before.toFixed(1)} → ${after.toFixed(1)} MB`,
    );
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toEqual(expect.objectContaining({ statusCode: 401, code: 'UNAUTHENTICATED' }));
    expect(after - before).toBeLessThan(10);
  }, 120_000);

  it('four 50 MB bodies in parallel without a token: all 401, RSS flat, /health answers', async () => {
    const before = api.rssMb();
    const results = await Promise.all([1, 2, 3, 4].map(() => streamBody(api.baseUrl, '/api/units/import', 50 * MB)));
    const health = await fetch(`${api.baseUrl}/health`);
    const after = api.rssMb();
    console.log(
      `4 × 50 MB unauthenticated: ${results.map((r) => r.status).join(', ')}; API RSS ${before.toFixed(1)} → ${after.toFixed(1)} MB`,
    );
    expect(results.map((r) => r.status)).toEqual([401, 401, 401, 401]);
    expect(health.status).toBe(200);
    expect(after - before).toBeLessThan(10);
  }, 120_000);

  it('a role the route refuses is 403 before the body is read; an unknown path with a body 404', async () => {
    const before = api.rssMb();
    const viewer = await streamBody(api.baseUrl, '/api/units/import', 100 * MB, { authorization: `Bearer ${viewerToken}` });
    expect(viewer.status).toBe(403);
    expect(JSON.parse(viewer.body).code).toBe('FORBIDDEN_SCOPE');
    const forged = await streamBody(api.baseUrl, '/api/units/import', 100 * MB, { authorization: 'Bearer not.a.token' });
    expect(forged.status).toBe(401);
    const nowhere = await streamBody(api.baseUrl, '/api/nowhere', 100 * MB, { authorization: `Bearer ${adminToken}` });
    expect(nowhere.status).toBe(404);
    expect(api.rssMb() - before).toBeLessThan(10);
  }, 120_000);

  it('over a route’s limit is 413 PAYLOAD_TOO_LARGE, also for an admin', async () => {
    // Declared by Content-Length: refused before reading. (A chunked body is read up to the limit.)
    const res = await streamBody(api.baseUrl, '/api/units', 5 * MB, { authorization: `Bearer ${adminToken}` }, true);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toEqual(expect.objectContaining({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' }));
    const chunked = await streamBody(api.baseUrl, '/api/units', 5 * MB, { authorization: `Bearer ${adminToken}` });
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('request logs carry no credentials: no bearer token, no cookie, no token in the URL', async () => {
    const secret = 'secret-token-value-123';
    await fetch(`${api.baseUrl}/api/me?token=${secret}&x=1`, {
      headers: { authorization: `Bearer ${adminToken}`, cookie: `ct_session=${secret}` },
    });
    await fetch(`${api.baseUrl}/admin/queues?token=${secret}`);
    await new Promise((r) => setTimeout(r, 300));
    const log = api.output();
    expect(log).toContain('/api/me?token=[REDACTED]&x=1');
    expect(log).not.toContain(secret);
    expect(log).not.toContain(adminToken);
  });
});
