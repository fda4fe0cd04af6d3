import { approvalWord, committeeTitle, tierWord } from '@app/core';

/**
 * Letters are addressed to the committee that leads a unit, not to the organisation (BRIEF.md "Two
 * names"): one helper decides the title, from `committeeName` when the unit carries it, else from
 * the organisation's name. Table: unit × form → the words of the letter.
 */
const CASES: [string, { name: string; tier: string; committeeName?: string | null }, 'committee' | 'addressee' | 'organisation', string][] =
  [
    ['a district organisation', { name: 'Đảng bộ huyện Vũ Thư', tier: 'district' }, 'addressee', 'Ban Thường vụ Huyện ủy Vũ Thư'],
    ['a district named by its committee', { name: 'Huyện ủy Vũ Thư', tier: 'district' }, 'addressee', 'Ban Thường vụ Huyện ủy Vũ Thư'],
    ['a commune asked to act', { name: 'Đảng bộ xã Vũ Hội', tier: 'grassroots' }, 'committee', 'Đảng ủy xã Vũ Hội'],
    ['a commune named by its committee', { name: 'Đảng ủy xã Vũ Hội', tier: 'grassroots' }, 'committee', 'Đảng ủy xã Vũ Hội'],
    ['the province signs', { name: 'Đảng bộ tỉnh Thái Bình', tier: 'province' }, 'organisation', 'Ban Tổ chức Tỉnh ủy Thái Bình'],
    ['a city', { name: 'Đảng bộ thành phố Thái Bình', tier: 'district' }, 'committee', 'Thành ủy Thái Bình'],
    ['a town', { name: 'Đảng bộ thị xã Phổ Yên', tier: 'district' }, 'committee', 'Thị ủy Phổ Yên'],
    ['a bloc committee', { name: 'Đảng bộ Khối các cơ quan tỉnh', tier: 'district' }, 'committee', 'Đảng ủy Khối các cơ quan tỉnh'],
    ['the provincial committee signs', { name: 'Tỉnh ủy Thái Bình', tier: 'province' }, 'organisation', 'Ban Tổ chức Tỉnh ủy Thái Bình'],
    [
      'the province signs from its stored committee name',
      { name: 'Đảng bộ tỉnh Thái Bình', tier: 'province', committeeName: 'Tỉnh ủy Thái Bình' },
      'organisation',
      'Ban Tổ chức Tỉnh ủy Thái Bình',
    ],
    [
      'a national root signs as the Central Organization Committee',
      { name: 'Ban Chấp hành Trung ương', tier: 'central' },
      'organisation',
      'Ban Tổ chức Trung ương',
    ],
    [
      'a committee named "Ban Chấp hành …" signs without it',
      { name: 'Ban Chấp hành Đảng bộ tỉnh Thái Bình', tier: 'province', committeeName: 'Ban Chấp hành Tỉnh ủy Thái Bình' },
      'organisation',
      'Ban Tổ chức Tỉnh ủy Thái Bình',
    ],
    ['a cell has no standing committee', { name: 'Chi bộ thôn Đông', tier: 'cell' }, 'addressee', 'Chi bộ thôn Đông'],
    [
      'a grassroots cell (chi bộ cơ sở)',
      { name: 'Chi bộ Trường THPT Vũ Tiên', tier: 'grassroots' },
      'addressee',
      'Chi bộ Trường THPT Vũ Tiên',
    ],
    [
      'the stored committeeName wins',
      { name: 'Đảng bộ xã Vũ Hội', tier: 'grassroots', committeeName: 'Đảng ủy xã Vũ Hội (mới)' },
      'addressee',
      'Ban Thường vụ Đảng ủy xã Vũ Hội (mới)',
    ],
    [
      'an empty committeeName is ignored',
      { name: 'Đảng bộ huyện Kiến Xương', tier: 'district', committeeName: ' ' },
      'committee',
      'Huyện ủy Kiến Xương',
    ],
  ];

describe('committee words: one helper names the committee of a unit', () => {
  it.each(CASES)('%s', (_case, unit, form, words) => {
    expect(committeeTitle(unit, form)).toBe(words);
  });
});

/** The word of a superior's approval, by step code (BRIEF.md "Words"): chuẩn y for 13, cho ý kiến / phê duyệt for 7 and 10. */
const APPROVALS: [string | null, string][] = [
  ['results_report', 'chuẩn y'],
  ['superior_review', 'cho ý kiến / phê duyệt'],
  ['personnel_scheme', 'cho ý kiến / phê duyệt'],
  ['congress', 'phê duyệt'],
  [null, 'phê duyệt'],
];
describe('approval words: one helper names the superior’s approval of a step', () => {
  it.each(APPROVALS)('%s → %s', (code, word) => expect(approvalWord(code)).toBe(word));
  it('the tier between province and grassroots is "cấp trên trực tiếp cơ sở"', () => {
    expect(['central', 'province', 'district', 'grassroots', 'cell'].map(tierWord)).toEqual([
      null,
      null,
      'cấp trên trực tiếp cơ sở',
      null,
      null,
    ]);
  });
});
