import { DomainError } from '@app/core';
import { readJsonArray } from './unit-import.parsers';

/** The JSON body cut into chunks of `size` bytes, as a socket may deliver it (splitting characters too). */
async function* chunks(text: string, size: number): AsyncIterable<Buffer> {
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function read(text: string, size = 3, limit = 1 << 20): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const row of readJsonArray(chunks(text, size), limit)) out.push(row);
  return out;
}

async function refusal(text: string, limit = 1 << 20): Promise<DomainError> {
  try {
    await read(text, 2, limit);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`accepted: ${text}`);
}

describe('readJsonArray (the import body, streamed)', () => {
  const rows = [
    { code: 'A', name: 'Đảng bộ "tỉnh" [A], {x}', tier: 'province', parentCode: '', contactEmails: ['a@x.vn'] },
    { code: 'B\\,', name: 'Chi bộ 😀 \u00e0', nested: { deep: [[1, 2], { a: '],' }] } },
    { code: 'C' },
  ];

  it.each([1, 2, 3, 7, 64, 4096])('yields every element as JSON.parse would, whatever the chunk size (%i bytes)', async (size) => {
    expect(await read(JSON.stringify(rows), size)).toEqual(rows);
    expect(await read(` \n [ ${rows.map((r) => JSON.stringify(r, null, 2)).join(' ,\n ')} ] \n`, size)).toEqual(rows);
  });

  it('an empty array yields nothing; scalars and nulls are elements too (the row checks refuse them)', async () => {
    expect(await read('[]')).toEqual([]);
    expect(await read(' [ ] ')).toEqual([]);
    expect(await read('[1, "x", null, []]')).toEqual([1, 'x', null, []]);
  });

  it.each([
    ['{"code":"A"}', 'body', /JSON array/],
    ['', 'body', /JSON array/],
    ['[{"code":"A"}', 'body', /before the array is closed/],
    ['[{"code":"A"},]', 'body[1]', /missing/],
    ['[,{"code":"A"}]', 'body[0]', /missing/],
    ['[{"code":"A"} {"code":"B"}]', 'body[0]', /not valid JSON/],
    ['[{"code":A}]', 'body[0]', /not valid JSON/],
    ['[{"code":"A"}] x', 'body', /after the end/],
    ['[{"code":"A"}]]', 'body', /after the end/],
  ])('refuses %j with a 400 naming %s', async (text, field, reason) => {
    const error = await refusal(text);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toEqual([expect.objectContaining({ field, reason: expect.stringMatching(reason) })]);
  });

  it('refuses a NUL or a lone surrogate in any string, as every other body', async () => {
    const nul = await refusal('[{"code":"A"},{"name":"a\\u0000b"}]');
    expect(nul.details).toEqual([expect.objectContaining({ field: '[1].name' })]);
    const surrogate = await refusal('[{"code":"\\ud800"}]');
    expect(surrogate.code).toBe('VALIDATION_FAILED');
  });

  it('refuses a body over the limit as it arrives (413)', async () => {
    const error = await refusal(JSON.stringify(Array.from({ length: 100 }, (_, i) => ({ code: `U${i}` }))), 500);
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
  });
});
