import type { Tier } from '@app/core';

/** A step's deadline for one tier: an absolute date, or days from the unit's congress date (negative = before). */
export type DeadlineRule = { date: string } | { daysFromCongress: number; workingDays: boolean };
export type Deadlines = Partial<Record<Tier, DeadlineRule>>;

export interface StepTemplate {
  no: number;
  code: string;
  titleVi: string;
  titleEn: string;
  requiresApproval: boolean;
  dependsOn: number[];
  deadlines: Deadlines;
  /** The approver's clock: working days from submission to decide (only for steps that need approval). */
  approvalWorkingDays?: number | null;
  /** The tiers whose units get this step (see APPLIES_TO below); units of other tiers do not have it. */
  appliesTo: Tier[];
  /** At most one dated milestone inside the step, marked done by the unit (step 11: delegate allocation). */
  milestone?: MilestoneTemplate | null;
}

/** A dated point inside a step: its own due date per tier, computed like the step's deadlines. */
export interface MilestoneTemplate {
  titleVi: string;
  titleEn: string;
  /** Tiers without a rule have no milestone in this step. */
  deadlines: Deadlines;
}

export const ALL_TIERS: Tier[] = ['central', 'province', 'district', 'grassroots', 'cell'];
const offset = (daysFromCongress: number, workingDays = false, tiers: Tier[] = ALL_TIERS): Deadlines =>
  Object.fromEntries(tiers.map((t) => [t, { daysFromCongress, workingDays }]));

/**
 * Which tiers get each step by default (editable per plan step, `appliesTo`). The rule: a step is
 * left out for a tier only where the brief says that tier does not do it, so a plan never loses work
 * nobody decided to drop.
 * - Steps 2 (sub-committees) and 6 (cadre-planning review): every tier but `cell`. A cell (chi bộ
 *   trực thuộc đảng ủy cơ sở) does not set up sub-committees: its congress is an all-members
 *   congress prepared by the cell committee itself; and it runs no cadre-planning review of its own:
 *   its committee's succession planning is the grassroots committee's review.
 * - Every other step: every tier. A cell still drafts its committee's personnel scheme (7), which
 *   its grassroots committee approves; still nominates (8) and vets (9) its candidates; still
 *   reports its documents and personnel plan upward (10) and its results for ratification (13,
 *   chuẩn y). Step 7 depends on step 6, a step a cell does not have: that prerequisite counts as
 *   met (libs/workflow).
 */
const NOT_CELL: Tier[] = ['central', 'province', 'district', 'grassroots'];

/**
 * The default plan: the usual order of work under Directives 35-CT/TW and 45-CT/TW as applied by
 * Kế hoạch 301-KH/TU (Thái Bình, 12/9/2024): the published plan does not list its 15 contents one by
 * one, so this is not a verbatim copy of it, and every plan may edit it. 15 steps in time order,
 * with the Party's own working-day rules (delegates convened 30 working days before the
 * congress; results reported within 7 and ratified within 15 working days after it).
 */
export const DEFAULT_STEPS: StepTemplate[] = [
  {
    no: 1,
    code: 'disseminate',
    titleVi: 'Quán triệt chỉ thị, kế hoạch của cấp trên; ban hành kế hoạch của cấp mình',
    titleEn: 'Disseminate the directive, issue own plan',
    requiresApproval: false,
    dependsOn: [],
    appliesTo: ALL_TIERS,
    deadlines: {
      central: { date: '2024-06-30' },
      province: { date: '2024-09-30' },
      district: { date: '2024-10-31' },
      grassroots: { date: '2024-11-30' },
      cell: { date: '2024-11-30' },
    },
  },
  {
    no: 2,
    code: 'subcommittees',
    titleVi: 'Thành lập các tiểu ban giúp việc đại hội (văn kiện, nhân sự, tổ chức – phục vụ)',
    titleEn: 'Set up the documents, personnel and organisation sub-committees',
    requiresApproval: false,
    dependsOn: [1],
    appliesTo: NOT_CELL,
    deadlines: offset(-100),
  },
  {
    no: 3,
    code: 'self_review',
    titleVi: 'Kiểm điểm sự lãnh đạo, chỉ đạo của cấp ủy nhiệm kỳ qua',
    titleEn: "Committee's self-review of the past term",
    requiresApproval: false,
    dependsOn: [2],
    appliesTo: ALL_TIERS,
    deadlines: offset(-85),
  },
  {
    no: 4,
    code: 'political_report',
    titleVi: 'Xây dựng dự thảo báo cáo chính trị',
    titleEn: 'Draft the political report',
    requiresApproval: false,
    dependsOn: [2],
    appliesTo: ALL_TIERS,
    deadlines: offset(-85),
  },
  {
    no: 5,
    code: 'document_comments',
    titleVi: 'Lấy ý kiến góp ý dự thảo văn kiện (đảng viên, nhân dân, cấp dưới)',
    titleEn: 'Collect comments on the draft documents',
    requiresApproval: false,
    dependsOn: [4],
    appliesTo: ALL_TIERS,
    deadlines: offset(-70),
  },
  {
    no: 6,
    code: 'cadre_planning',
    titleVi: 'Rà soát, bổ sung quy hoạch cấp ủy',
    titleEn: 'Review and supplement the cadre plan',
    requiresApproval: false,
    dependsOn: [2],
    appliesTo: NOT_CELL,
    deadlines: offset(-85),
  },
  {
    no: 7,
    code: 'personnel_scheme',
    titleVi: 'Xây dựng đề án nhân sự cấp ủy (số lượng, cơ cấu, tiêu chuẩn)',
    titleEn: 'Draft the personnel scheme (size, structure, criteria)',
    requiresApproval: true,
    dependsOn: [6],
    appliesTo: ALL_TIERS,
    deadlines: offset(-75),
  },
  {
    no: 8,
    code: 'nomination',
    titleVi: 'Thực hiện quy trình giới thiệu nhân sự',
    titleEn: 'Run the personnel nomination procedure',
    requiresApproval: false,
    dependsOn: [7],
    appliesTo: ALL_TIERS,
    deadlines: offset(-65),
  },
  {
    no: 9,
    code: 'vetting',
    titleVi: 'Thẩm tra, xác minh, kết luận tiêu chuẩn chính trị',
    titleEn: 'Political vetting of the nominees',
    requiresApproval: false,
    dependsOn: [8],
    appliesTo: ALL_TIERS,
    deadlines: offset(-55),
  },
  {
    no: 10,
    code: 'superior_review',
    titleVi: 'Báo cáo cấp ủy cấp trên về văn kiện và phương án nhân sự',
    titleEn: 'Submit documents and personnel plan to the superior committee',
    requiresApproval: true,
    dependsOn: [3, 5, 9],
    appliesTo: ALL_TIERS,
    deadlines: offset(-35, true),
  },
  {
    no: 11,
    code: 'congress_preparation',
    titleVi: 'Chuẩn bị chương trình, quy chế, kịch bản; phân bổ, triệu tập đại biểu; công tác phục vụ đại hội',
    titleEn: 'Programme, rules, script; delegate allocation and convocation; congress services',
    requiresApproval: false,
    dependsOn: [10],
    appliesTo: ALL_TIERS,
    // Two clocks in one step: the programme and công tác phục vụ đại hội run until the congress (the
    // day before it, as step 12 waits for this one); delegates are allocated and the opening date
    // fixed 30 working days before it, a milestone of its own. A cell holds an all-members congress
    // (đại hội đảng viên): no delegates to allocate, so no milestone for cells.
    deadlines: offset(-1),
    milestone: {
      titleVi: 'Phân bổ, triệu tập đại biểu; xác định ngày khai mạc đại hội',
      titleEn: 'Delegate allocation and convocation; opening date fixed',
      deadlines: offset(-30, true, NOT_CELL),
    },
  },
  {
    no: 12,
    code: 'congress',
    titleVi: 'Tổ chức đại hội (4 nội dung)',
    titleEn: 'Hold the congress (the 4 contents)',
    requiresApproval: false,
    dependsOn: [11],
    appliesTo: ALL_TIERS,
    deadlines: offset(0),
  },
  {
    no: 13,
    code: 'results_report',
    titleVi: 'Báo cáo kết quả đại hội, hồ sơ bầu cử đề nghị chuẩn y',
    titleEn: 'Report results and election dossiers for ratification',
    requiresApproval: true,
    dependsOn: [12],
    appliesTo: ALL_TIERS,
    deadlines: offset(7, true),
    // The superior ratifies within 15 working days of the submission: the approver's deadline.
    approvalWorkingDays: 15,
  },
  {
    no: 14,
    code: 'consolidation',
    titleVi: 'Phân công nhiệm vụ cấp ủy viên, kiện toàn tổ chức sau đại hội',
    titleEn: 'Assign duties, consolidate the organisation',
    requiresApproval: false,
    // Assigned at the new committee's first session: does not wait for step 13's ratification.
    dependsOn: [12],
    appliesTo: ALL_TIERS,
    deadlines: offset(15, true),
  },
  {
    no: 15,
    code: 'resolution_rollout',
    titleVi: 'Quán triệt nghị quyết, xây dựng chương trình hành động',
    titleEn: 'Disseminate the resolution, adopt the action programme',
    requiresApproval: false,
    dependsOn: [14],
    appliesTo: ALL_TIERS,
    deadlines: offset(30),
  },
];

/** The step whose completion needs the congress record with its 4 contents. */
export const CONGRESS_STEP_NO = 12;

/**
 * When a tier holds its congress: "complete before" `to` (inclusive). `from` is optional: a plan may
 * set a start, and then it is enforced; without one any date up to `to` is fine (a pilot congress,
 * đại hội điểm, comes before the main wave).
 */
export interface CongressWindow {
  from?: string;
  to: string;
}

/**
 * Directive 45-CT/TW (14/4/2025) gives ends only: grassroots before 30/6/2025, the level directly
 * above grassroots before 31/8/2025, provinces before 31/10/2025. Starts only where the brief gives
 * one: the local plans put cell congresses from January 2025, and the 14th National Congress sat on
 * 19–23/1/2026.
 */
export const DEFAULT_CONGRESS_WINDOWS: Record<Tier, CongressWindow> = {
  cell: { from: '2025-01-01', to: '2025-03-31' },
  grassroots: { to: '2025-06-30' },
  district: { to: '2025-08-31' },
  province: { to: '2025-10-31' },
  central: { from: '2026-01-19', to: '2026-01-23' },
};
