import { describe, expect, it } from 'vitest';
import openapi from '../../lib/api/openapi.json';
import { KIND, SEND_STATUS } from './words';

/** The enum of a query parameter of GET /api/notifications, as the API declares it. */
function apiEnum(name: string): string[] {
  const params = (openapi as unknown as { paths: Record<string, { get: { parameters: { name: string; schema: { enum?: string[] } }[] } }> })
    .paths['/api/notifications'].get.parameters;
  return params.find((p) => p.name === name)?.schema.enum ?? [];
}

describe('the notification log speaks Vietnamese for every kind and status the API has', () => {
  it('every kind has a label, and no label for a kind the API does not know', () => {
    expect(Object.keys(KIND).sort()).toEqual(apiEnum('kind').sort());
  });

  it('every status has a label; failed reads "Gửi thất bại" in red, sent "Đã gửi" in green', () => {
    expect(Object.keys(SEND_STATUS).sort()).toEqual(apiEnum('status').sort());
    expect(SEND_STATUS.failed).toEqual({ text: 'Gửi thất bại', tone: 'red' });
    expect(SEND_STATUS.sent).toEqual({ text: 'Đã gửi', tone: 'green' });
  });

  it('labels carry Vietnamese diacritics (no ASCII-only fallbacks)', () => {
    for (const text of [...Object.values(KIND), ...Object.values(SEND_STATUS).map((s) => s.text)])
      expect(text).toMatch(/[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]/i);
  });
});
