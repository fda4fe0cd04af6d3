/** A unit as letters name it: the organisation's name, its tier, and its committee's name when stored. */
export interface CommitteeUnit {
  name: string;
  /** The unit's tier (`cell`: a cell has no standing committee). */
  tier: string;
  /** The committee that leads the organisation ("Huyện ủy Vũ Thư"), when the unit carries it. */
  committeeName?: string | null;
}

/** Organisation name prefix → the committee that leads it (BRIEF.md "Two names"). */
const COMMITTEE_OF: [RegExp, string][] = [
  [/^Đảng bộ tỉnh\s+/i, 'Tỉnh ủy '],
  [/^Đảng bộ thành phố\s+/i, 'Thành ủy '],
  [/^Đảng bộ huyện\s+/i, 'Huyện ủy '],
  [/^Đảng bộ quận\s+/i, 'Quận ủy '],
  [/^Đảng bộ thị xã\s+/i, 'Thị ủy '],
  [/^Đảng bộ\s+/i, 'Đảng ủy '],
];

/**
 * The committee of a unit, in the form a letter needs: `committee` "Huyện ủy Vũ Thư" (who is asked
 * to act: "Đề nghị Đảng ủy xã Vũ Hội cập nhật…"), `addressee` "Ban Thường vụ Huyện ủy Vũ Thư" (who
 * a letter is addressed to: "Kính gửi: …"), `organisation` "Ban Tổ chức Tỉnh ủy Thái Bình" (the
 * organisation committee, who signs). The one place this is decided: `committeeName` when the unit
 * has it, else derived from the organisation's name ("Đảng bộ huyện Vũ Thư" → "Huyện ủy Vũ Thư").
 */
export function committeeTitle(unit: CommitteeUnit, form: 'committee' | 'addressee' | 'organisation' = 'committee'): string {
  const name = unit.name.trim();
  const stored = unit.committeeName?.trim();
  let committee = stored || name;
  if (!stored) {
    for (const [pattern, prefix] of COMMITTEE_OF) {
      if (pattern.test(name)) {
        committee = name.replace(pattern, prefix);
        break;
      }
    }
  }
  if (form === 'committee') return committee;
  // A cell (and a grassroots cell, chi bộ cơ sở) has no standing committee: the letter goes to the cell's committee itself.
  const isCell = unit.tier === 'cell' || /^Chi bộ/i.test(committee);
  if (form === 'addressee') return isCell ? committee : `Ban Thường vụ ${committee}`;
  // The Central Committee's organisation committee is "Ban Tổ chức Trung ương" (a national deployment's root).
  if (unit.tier === 'central') return 'Ban Tổ chức Trung ương';
  return `Ban Tổ chức ${committee.replace(/^Ban Chấp hành\s+/i, '')}`;
}

/**
 * The word for a superior's approval of a step (BRIEF.md "Words"): an election results dossier is
 * ratified, **chuẩn y** (step 13, `results_report`); documents and personnel plans get the
 * superior's **cho ý kiến / phê duyệt** (steps 10 and 7); any other approval step is **phê duyệt**.
 * By the step's code, so that a plan that renumbers its steps keeps the words.
 */
export function approvalWord(stepCode: string | null | undefined): string {
  if (stepCode === 'results_report') return 'chuẩn y';
  if (stepCode === 'superior_review' || stepCode === 'personnel_scheme') return 'cho ý kiến / phê duyệt';
  return 'phê duyệt';
}

/** The tier between the province and the grassroots is "cấp trên trực tiếp cơ sở" (never "cấp huyện"); others have no such word. */
export function tierWord(tier: string | null | undefined): string | null {
  return tier === 'district' ? 'cấp trên trực tiếp cơ sở' : null;
}
