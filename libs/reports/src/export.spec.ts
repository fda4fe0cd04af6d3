import ExcelJS from 'exceljs';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Column, exportFile } from './export';

interface Row {
  code: string;
  name: string;
  days: number;
}

const COLUMNS: Column<Row>[] = [
  { header: 'Mã đơn vị', value: (r) => r.code },
  { header: 'Tên đơn vị', value: (r) => r.name, total: 'count' },
  { header: 'Số ngày quá hạn', value: (r) => r.days, type: 'number', total: 'sum' },
];
const META = { name: 'danh-sach', title: 'Danh sách', subtree: 'Tỉnh ủy (T1)', asOf: '2026-12-02' };

/** Rows without end (a list far longer than anyone reads), counting how many were taken and whether the reader stopped. */
function endless() {
  const state = { taken: 0, stopped: false };
  async function* rows(): AsyncIterable<Row> {
    try {
      for (;;) {
        // A page at a time, as the repository reads them.
        await new Promise((r) => setImmediate(r));
        for (let i = 0; i < 500; i++) yield { code: `U${++state.taken}`, name: `Chi bộ thôn Đông ${state.taken}`, days: state.taken % 30 };
      }
    } finally {
      state.stopped = true;
    }
  }
  return { state, rows: rows() };
}

async function* finite(n: number): AsyncIterable<Row> {
  for (let i = 1; i <= n; i++) yield { code: `U${i}`, name: `Chi bộ ${i}`, days: i };
}

describe('exports stream with backpressure', () => {
  it.each(['csv', 'xlsx'] as const)(
    '%s: a reader that stops reading holds the rows back, and one that goes away stops the export',
    async (format) => {
      const { state, rows } = endless();
      const stream = exportFile(format, META, COLUMNS, rows).getStream();
      let received = 0;
      stream.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > 64 * 1024) stream.pause();
      });
      // The buffers between the rows and the paused reader fill up, then the rows stop being read: wait
      // until no row has been read for 600 ms (on a busy machine filling takes longer than any fixed
      // wait); without backpressure the count never settles and the deadline fails the test.
      const settleBy = Date.now() + 15_000;
      let last = -1;
      let still = 0;
      while (still < 3 && Date.now() < settleBy) {
        await new Promise((r) => setTimeout(r, 200));
        still = state.taken === last ? still + 1 : 0;
        last = state.taken;
      }
      expect(still).toBe(3);
      const takenWhilePaused = state.taken;
      await new Promise((r) => setTimeout(r, 1000));
      // Paused: no more rows are read than the buffers between the rows and the reader hold.
      expect(state.taken - takenWhilePaused).toBeLessThanOrEqual(500);
      expect(state.taken).toBeLessThan(200_000);
      // The client goes away (Fastify destroys the stream it was sending): the rows stop being read.
      stream.destroy();
      const deadline = Date.now() + 5000;
      while (!state.stopped && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(state.stopped).toBe(true);
    },
  );

  it('CSV: every row, in chunks of lines, after the BOM and the header', async () => {
    const chunks: Buffer[] = [];
    await pipeline(
      exportFile('csv', META, COLUMNS, finite(2500), ';').getStream(),
      new Writable({
        write(chunk: Buffer, _enc, done) {
          chunks.push(chunk);
          done();
        },
      }),
    );
    const lines = Buffer.concat(chunks).toString('utf8').split('\n').filter(Boolean);
    expect(lines[0]).toBe('\uFEFFMã đơn vị;Tên đơn vị;Số ngày quá hạn');
    expect(lines).toHaveLength(2501);
    expect(lines[2500]).toBe('U2500;Chi bộ 2500;2500');
  });

  it('XLSX: every row and the totals', async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of exportFile('xlsx', META, COLUMNS, finite(3000)).getStream() as Readable) chunks.push(chunk as Buffer);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.concat(chunks) as never);
    const sheet = workbook.worksheets[0];
    expect(sheet.getRow(3).getCell(1).value).toBe('Mã đơn vị');
    expect(sheet.getRow(3 + 3000).getCell(1).value).toBe('U3000');
    const totals = sheet.getRow(3 + 3000 + 1);
    expect(totals.getCell(1).value).toBe('Tổng cộng');
    expect((totals.getCell(3).value as { result: number }).result).toBe((3000 * 3001) / 2);
  });
});
