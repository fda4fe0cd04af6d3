import { unitSearchCondition } from '@app/org';
import { startTestApp, TestApp } from '../setup/test-app';
import { expectError } from '../setup/errors';
import type { ImportRow } from '../factories/tree';
import { plannedTree, setStatus } from '../factories/workflow';

/** Unit search that ignores accents and case, Vietnamese order, and GET /api/units/:id/children. */
const ROWS: ImportRow[] = [
  { code: 'TB', name: 'Tỉnh ủy Thái Bình', tier: 'province', parentCode: '' },
  { code: 'VT', name: 'Huyện ủy Vũ Thư', tier: 'district', parentCode: 'TB' },
  { code: 'VH', name: 'Đảng ủy xã Vũ Hội', tier: 'grassroots', parentCode: 'VT' },
  { code: 'VD', name: 'Đảng ủy xã Vũ Đoài', tier: 'grassroots', parentCode: 'VT' },
  { code: 'BM', name: 'Đảng ủy xã Bình Minh', tier: 'grassroots', parentCode: 'VT' },
  { code: 'AT', name: 'Đảng ủy xã Ân Thi', tier: 'grassroots', parentCode: 'VT' },
  { code: 'AB', name: 'Đảng ủy xã An Bình', tier: 'grassroots', parentCode: 'VT' },
  { code: 'VH-10', name: 'Chi bộ thôn 10', tier: 'cell', parentCode: 'VH' },
  { code: 'VH-2', name: 'Chi bộ thôn 2', tier: 'cell', parentCode: 'VH' },
  { code: 'VH-1', name: 'Chi bộ thôn 1', tier: 'cell', parentCode: 'VH' },
  { code: 'KX', name: 'Huyện ủy Kiến Xương', tier: 'district', parentCode: 'TB' },
  { code: 'KX-VH', name: 'Đảng ủy xã Vũ Hội', tier: 'grassroots', parentCode: 'KX' },
];

describe('finding units', () => {
  let t: TestApp;
  let ids: Record<string, number>;
  let editor: string;

  beforeAll(async () => {
    t = await startTestApp();
    ({ ids } = await plannedTree(t, ROWS));
    editor = await t.loginAs('editor', ids.VT);
    // No due dates but those a test sets, on a fixed day.
    await t.db.query(`UPDATE unit_steps SET due_date = NULL`);
    t.setClock('2026-03-10');
  });
  afterAll(async () => t?.close());

  const search = async (q: string, token = editor, extra = '') => {
    const res = await t.request('GET', `/api/units?q=${encodeURIComponent(q)}${extra}`, { token });
    expect(res.status).toBe(200);
    return res.body;
  };
  const codes = (body: any) => body.items.map((u: any) => u.code);

  describe('GET /api/units?q=', () => {
    it('"vu hoi" finds "Vũ Hội": accents, case and Unicode form ignored; only in the caller\'s subtree', async () => {
      for (const q of ['vu hoi', 'VU HOI', 'Vũ Hội', 'vũ hội'.normalize('NFD'), 'xã vũ hội', '  vu   hoi ']) {
        expect({ q, codes: codes(await search(q)) }).toEqual({ q, codes: ['VH'] });
      }
      const body = await search('vu hoi');
      expect(body.total).toBe(1);
      expect(body.items[0]).toMatchObject({
        id: ids.VH,
        name: 'Đảng ủy xã Vũ Hội',
        tier: 'grassroots',
        parentId: ids.VT,
        parentName: 'Huyện ủy Vũ Thư',
        childrenCount: 3,
      });
      // The admin of the root sees both communes of that name.
      expect(codes(await search('vu hoi', t.adminToken)).sort()).toEqual(['KX-VH', 'VH']);
    });

    it('Đ is D, and a word may be given by its start; codes match too', async () => {
      expect(codes(await search('doai'))).toEqual(['VD']);
      expect(codes(await search('vu d'))).toEqual(['VD']);
      expect(codes(await search('vh-1'))).toEqual(['VH-1', 'VH-10']);
      expect(codes(await search('kien xuong'))).toEqual([]); // another district
    });

    it('sorts by name in Vietnamese order (Ân after An, before Bình; thôn 2 before thôn 10)', async () => {
      expect(codes(await search('dang uy xa', editor, `&parentId=${ids.VT}`))).toEqual(['AB', 'AT', 'BM', 'VD', 'VH']);
      expect(codes(await search('chi bo'))).toEqual(['VH-1', 'VH-2', 'VH-10']);
    });

    it('LIKE wildcards are plain characters', async () => {
      expect((await search('%')).total).toBe(0);
      expect((await search('_')).total).toBe(0);
    });

    it('the search condition is served by the trigram index', async () => {
      const client = await t.db.connect();
      try {
        await client.query('BEGIN');
        await client.query('SET LOCAL enable_seqscan = off');
        const { rows } = await client.query(`EXPLAIN SELECT id FROM units u WHERE ${unitSearchCondition('$1')}`, ['vu hoi']);
        expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('units_search_trgm_idx');
        await client.query('ROLLBACK');
      } finally {
        client.release();
      }
    });
  });

  describe('GET /api/units/:id/children', () => {
    const children = async (id: number, query = '', token = editor) => {
      const res = await t.request('GET', `/api/units/${id}/children${query}`, { token });
      expect(res.status).toBe(200);
      return res.body;
    };

    it('the direct children, by name, with their children count and progress', async () => {
      const body = await children(ids.VT);
      expect(body.total).toBe(5);
      expect(body.items.map((c: any) => c.code)).toEqual(['AB', 'AT', 'BM', 'VD', 'VH']);
      expect(body.items[4]).toEqual({
        id: ids.VH,
        code: 'VH',
        name: 'Đảng ủy xã Vũ Hội',
        tier: 'grassroots',
        childrenCount: 3,
        progress: { completed: 0, total: 15, overdue: 0 },
        step: null,
      });
      const page = await children(ids.VT, '?page=2&pageSize=2');
      expect(page.items.map((c: any) => c.code)).toEqual(['BM', 'VD']);
      expect(page.total).toBe(5);
    });

    it('with stepNo: that step of each child; with status: only the children whose step has it', async () => {
      await setStatus(t, ids['VH-2'], 1, 'completed');
      await t.db.query(`UPDATE unit_steps SET due_date = '2020-01-01' WHERE unit_id = $1 AND step_no = 1`, [ids['VH-1']]);
      const all = await children(ids.VH, '?stepNo=1');
      expect(all.items.map((c: any) => [c.code, c.step.status, c.step.overdue])).toEqual([
        ['VH-1', 'not_started', true],
        ['VH-2', 'completed', false],
        ['VH-10', 'not_started', false],
      ]);
      expect(all.items[0].step).toEqual({ no: 1, status: 'not_started', version: 1, dueDate: '2020-01-01', overdue: true });
      // Cells: 13 steps (no step 2 nor 6).
      expect(all.items[0].progress).toEqual({ completed: 0, total: 13, overdue: 1 });
      expect(all.items[1].progress).toEqual({ completed: 1, total: 13, overdue: 0 });
      const open = await children(ids.VH, '?stepNo=1&status=not_started');
      expect(open.items.map((c: any) => c.code)).toEqual(['VH-1', 'VH-10']);
      expect(open.total).toBe(2);
      expect((await children(ids.VH, '?q=thon 1')).items.map((c: any) => c.code)).toEqual(['VH-1', 'VH-10']);
    });

    it('refuses a status without a step, bad paging and units out of scope', async () => {
      expectError(await t.request('GET', `/api/units/${ids.VH}/children?status=completed`, { token: editor }), 400, 'VALIDATION_FAILED');
      for (const q of ['?stepNo=16', '?status=done&stepNo=1', '?pageSize=501', '?page=0']) {
        expectError(await t.request('GET', `/api/units/${ids.VH}/children${q}`, { token: editor }), 400, 'VALIDATION_FAILED');
      }
      expect((await children(ids.VH, '?pageSize=500')).total).toBe(3);
      expectError(await t.request('GET', `/api/units/${ids.KX}/children`, { token: editor }), 403, 'FORBIDDEN_SCOPE');
      expectError(await t.request('GET', `/api/units/999999/children`, { token: editor }), 404, 'NOT_FOUND');
    });
  });
});
