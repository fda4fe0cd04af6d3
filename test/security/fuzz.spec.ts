import { buildScopeFixture, ScopeFixture } from './fixture';
import { DistApi, distClient, startDistApi } from './dist-api';

/**
 * A bounded, schema-driven fuzzer over the OpenAPI document of the built API: for every operation,
 * requests with valid, invalid and edge values (big and fractional numbers, 1e308, impossible
 * dates, NUL, lone surrogates, nulls, wrong types, huge strings, extra fields), as an admin of the
 * root and as district users. No answer may be a 5xx; every 4xx must be in the error shape.
 * FUZZ_REQUESTS (default 2,500) and FUZZ_SEED change the run; the seed is printed on failure.
 */
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 2500);
const SEED = Number(process.env.FUZZ_SEED ?? 20251201);
const CONCURRENCY = 4;

type Json = any;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EDGE_NUMBERS: Json[] = [0, -1, 1, 2, 15, 16, 2147483647, 2147483648, -2147483649, 1e308, -1e308, 1.5, 2 ** 53 + 2, 1e-300];
const EDGE_STRINGS: Json[] = [
  '',
  ' ',
  'a\u0000b',
  '\u0000',
  '\ud800',
  'a\udc00b',
  'x'.repeat(5000),
  'y'.repeat(200_000),
  '2025-02-30',
  '2025-13-01',
  '2025-04-31',
  '0000-01-01',
  '9999-12-31',
  '2025-1-1',
  '1e308',
  '2147483648',
  '-1',
  "' OR 1=1 --",
  '../../etc/passwd',
  '<script>alert(1)</script>',
  'Đảng bộ xã Vũ Hội',
  '😀',
  '%00',
  '{"a":1}',
];
const EDGE_OTHERS: Json[] = [null, true, false, [], {}, [null], { $gt: '' }, ['a'], [1, 2, 3]];

/** encodeURIComponent, except that a lone surrogate is sent as its (invalid) UTF-8 bytes rather than refused. */
function encode(text: string): string {
  return text.replace(/[\ud800-\udfff]|[^\ud800-\udfff]+/g, (part) => {
    if (part.length === 1 && /[\ud800-\udfff]/.test(part)) {
      const c = part.charCodeAt(0);
      return [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    }
    return encodeURIComponent(part);
  });
}

interface Operation {
  method: string;
  path: string;
  params: { name: string; in: 'path' | 'query'; schema: Json; required: boolean }[];
  body?: Json;
}

describe(`schema-driven fuzzer over /docs-json (${REQUESTS} requests, seed ${SEED})`, () => {
  let api: DistApi;
  let client: Awaited<ReturnType<typeof distClient>>;
  let f: ScopeFixture;
  let doc: Json;

  beforeAll(async () => {
    api = await startDistApi({ LOG_LEVEL: 'warn', LOGIN_RATE_LIMIT: '100000' });
    client = await distClient(api);
    f = await buildScopeFixture(client);
    doc = await (await fetch(`${api.baseUrl}/docs-json`)).json();
  }, 240_000);
  afterAll(async () => api?.stop());

  it('no 5xx, and the error shape on every 4xx', async () => {
    const random = mulberry32(SEED);
    const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)];
    const chance = (p: number) => random() < p;

    const resolve = (schema: Json): Json => {
      let s = schema;
      for (let i = 0; s?.$ref && i < 10; i++) s = doc.components.schemas[s.$ref.split('/').pop()];
      return s ?? {};
    };
    const unitIds = () => [f.root, f.d1.id, f.g1, f.d2.id, f.g2];
    const planIds = () => [f.planIn, f.planOut, f.planDraft];

    /** A plausible value for a field, from its name and schema. */
    const valid = (name: string, schema: Json, path = ''): Json => {
      const s = resolve(schema);
      if (s.enum) return pick(s.enum);
      if (/date|asOf|heldOn|heldFrom|heldTo|congressDate/i.test(name)) return pick(['2025-06-15', '2025-09-02', '2026-01-01']);
      if (name === 'id' && path.startsWith('/api/plans')) return pick(planIds());
      if (/^(id|unitId|parentId|rootId|rootUnitId)$/.test(name)) return pick(unitIds());
      if (name === 'no' || name === 'stepNo') return 1 + Math.floor(random() * 15);
      if (name === 'year') return pick(['2025', '2026']);
      if (name === 'email') return pick(['admin@test.vn', `fz${Math.floor(random() * 1e6)}@test.vn`]);
      if (name === 'password') return pick(['admin-password', 'mật-khẩu-rất-dài-1']);
      if (name === 'code') return `FZ${Math.floor(random() * 1e6)}`;
      if (name === 'expectedVersion') return 1 + Math.floor(random() * 3);
      if (name === 'deadlines') return { cell: { daysFromCongress: -10, workingDays: true } };
      switch (s.type) {
        case 'integer':
        case 'number':
          return Math.max(s.minimum ?? 1, Math.min(s.maximum ?? 10, 1 + Math.floor(random() * 5)));
        case 'boolean':
          return chance(0.5);
        case 'array':
          return Array.from({ length: Math.floor(random() * 3) }, () => valid(name, s.items ?? {}, path));
        case 'object':
          return objectFor(s, path);
        default:
          return `Tên ${Math.floor(random() * 1000)}`;
      }
    };
    const edge = (): Json => (chance(0.4) ? pick(EDGE_NUMBERS) : chance(0.7) ? pick(EDGE_STRINGS) : pick(EDGE_OTHERS));
    const value = (name: string, schema: Json, path: string): Json => (chance(0.6) ? valid(name, schema, path) : edge());
    const objectFor = (schema: Json, path: string): Json => {
      const s = resolve(schema);
      const out: Record<string, Json> = {};
      for (const [name, prop] of Object.entries<Json>(s.properties ?? {})) {
        const required = (s.required ?? []).includes(name);
        if (!required && chance(0.4)) continue;
        if (required && chance(0.05)) continue; // a required field left out
        out[name] = value(name, prop, path);
      }
      if (chance(0.08)) out[pick(['extra', 'isAdmin', '__proto__', 'constructor', 'a\u0000'])] = edge();
      return out;
    };
    const bodyFor = (op: Operation): { raw?: string; json?: Json } => {
      const roll = random();
      if (roll < 0.04) return { raw: pick(['{', '[1,', '{"a":1e400}', 'null', '"str"', '123', '{"a":"\\ud800"}', '{"a":"\\u0000"}', '']) };
      if (roll < 0.08) return { json: edge() };
      const schema = resolve(op.body);
      if (schema.type === 'array' || schema.oneOf) {
        return { json: Array.from({ length: 1 + Math.floor(random() * 3) }, () => objectFor({ properties: IMPORT_ROW }, op.path)) };
      }
      return { json: objectFor(schema, op.path) };
    };

    const operations: Operation[] = [];
    for (const [path, item] of Object.entries<Json>(doc.paths)) {
      for (const [method, op] of Object.entries<Json>(item)) {
        const body = op.requestBody?.content?.['application/json']?.schema;
        operations.push({ method: method.toUpperCase(), path, params: op.parameters ?? [], body });
      }
    }
    expect(operations.length).toBeGreaterThan(20);

    const callers = [
      { name: 'root admin', token: client.adminToken },
      { name: 'district admin', token: f.district.admin },
      { name: 'district editor', token: f.district.editor },
    ];
    const table = new Map<string, Record<string, number>>();
    const failures: string[] = [];
    let sent = 0;

    const one = async (i: number): Promise<void> => {
      const op = operations[i % operations.length];
      const caller = pick(callers);
      let url = op.path;
      const query: string[] = [];
      for (const p of op.params) {
        const v = p.in === 'path' || p.required || chance(0.6) ? value(p.name, p.schema, op.path) : undefined;
        if (v === undefined) continue;
        const text = typeof v === 'string' ? v : JSON.stringify(v);
        if (p.in === 'path') url = url.replace(`{${p.name}}`, encode(text.slice(0, 3000)) || '%20');
        else query.push(`${p.name}=${encode(text.slice(0, 3000))}`);
      }
      if (chance(0.05)) query.push(`${pick(['extra', 'page', 'q'])}=${encode(String(edge()))}`);
      const headers: Record<string, string> = { authorization: `Bearer ${caller.token}` };
      let body: string | undefined;
      if (op.method !== 'GET' && op.method !== 'DELETE' && (op.body || chance(0.2))) {
        const b = bodyFor(op);
        body = b.raw ?? JSON.stringify(b.json);
        headers['content-type'] = 'application/json';
      }
      const full = `${url}${query.length > 0 ? `?${query.join('&')}` : ''}`;
      let status: number;
      let text: string;
      try {
        const res = await fetch(`${api.baseUrl}${full}`, { method: op.method, headers, body });
        status = res.status;
        text = await res.text();
      } catch (error) {
        failures.push(`${op.method} ${full.slice(0, 200)}: request failed (${(error as Error).message})`);
        return;
      }
      sent++;
      const key = `${op.method} ${op.path}`;
      const row = table.get(key) ?? {};
      const cls = `${Math.floor(status / 100)}xx`;
      row[cls] = (row[cls] ?? 0) + 1;
      table.set(key, row);
      const describe = () =>
        `${op.method} ${full.slice(0, 300)} as ${caller.name} body ${String(body).slice(0, 300)} → ${status} ${text.slice(0, 300)}`;
      if (status >= 500) failures.push(describe());
      else if (status >= 400) {
        let parsed: Json;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        const shapeOk =
          parsed &&
          parsed.statusCode === status &&
          typeof parsed.code === 'string' &&
          typeof parsed.message === 'string' &&
          Object.keys(parsed).every((k) => ['statusCode', 'code', 'message', 'details'].includes(k));
        if (!shapeOk) failures.push(`not the error shape: ${describe()}`);
      }
    };

    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < REQUESTS) await one(next++);
      }),
    );

    const totals: Record<string, number> = {};
    for (const row of table.values()) for (const [cls, n] of Object.entries(row)) totals[cls] = (totals[cls] ?? 0) + n;
    const lines = [...table.entries()].map(
      ([key, row]) => `${key.padEnd(44)} ${['2xx', '3xx', '4xx', '5xx'].map((c) => String(row[c] ?? 0).padStart(5)).join('')}`,
    );
    console.log(
      [
        `fuzzer: ${sent} requests over ${operations.length} operations, seed ${SEED}`,
        `${'operation'.padEnd(44)}   2xx  3xx  4xx  5xx`,
        ...lines,
        `${'total'.padEnd(44)} ${['2xx', '3xx', '4xx', '5xx'].map((c) => String(totals[c] ?? 0).padStart(5)).join('')}`,
      ].join('\n'),
    );
    if (failures.length > 0) {
      throw new Error(
        `fuzzer seed ${SEED}: ${failures.length} failures (FUZZ_SEED=${SEED} to replay):\n${failures.slice(0, 30).join('\n')}`,
      );
    }
    expect(sent).toBe(REQUESTS);
  }, 600_000);
});

const IMPORT_ROW: Record<string, Json> = {
  code: { type: 'string' },
  name: { type: 'string' },
  tier: { type: 'string', enum: ['province', 'district', 'grassroots', 'cell'] },
  parentCode: { type: 'string', enum: ['SEC-D1', 'SEC-G1', 'SEC-D2', ''] },
  contactEmails: { type: 'string' },
};
