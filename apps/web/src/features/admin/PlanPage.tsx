import { Alert, App as AntApp, Button, Card, Checkbox, Input, InputNumber, Modal, Select, Space, Table, Typography } from 'antd';
import { Pill } from '../../components/Pill';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageSpinner } from '../../components/PageSpinner';
import { errorMessage } from '../../lib/errors';
import { formatDate, formatNumber } from '../../lib/format';
import { TIER, type Tier } from '../../lib/vi';
import { AdminPage } from './AdminTabs';
import { isoOf } from './dates';
import { previewDeadlines, usePlan, usePlans, useSaveAppliesTo, useSaveDeadlines, type Plan, type Preview, type Rule } from './plans-api';
import { P } from './words';

const TIER_ORDER: Tier[] = ['central', 'province', 'district', 'grassroots', 'cell'];
type Step = Plan['steps'][number];

/** A deadline rule as people say it: "35 ngày làm việc trước đại hội", "Ngày 30/11/2024". */
export function ruleText(rule: unknown): string {
  if (!rule || typeof rule !== 'object') return P.noRule;
  const r = rule as Partial<{ date: string; daysFromCongress: number; workingDays: boolean }>;
  if (typeof r.date === 'string') return P.fixed(formatDate(r.date));
  if (typeof r.daysFromCongress === 'number') {
    const n = r.daysFromCongress;
    if (n === 0) return P.onCongress;
    return n < 0 ? P.before(-n, r.workingDays === true) : P.after(n, r.workingDays === true);
  }
  return P.noRule;
}

/** The tiers the plan has rules for, in the order of the tree. */
function tiersOf(plan: Plan): Tier[] {
  const present = new Set(plan.steps.flatMap((s) => Object.keys(s.deadlines)));
  return TIER_ORDER.filter((t) => present.has(t));
}

interface Draft {
  kind: 'date' | 'offset';
  date: string;
  days: number | null;
  workingDays: boolean;
}

function toDraft(rule: unknown): Draft {
  const r = (rule ?? {}) as Partial<{ date: string; daysFromCongress: number; workingDays: boolean }>;
  if (typeof r.date === 'string') return { kind: 'date', date: formatDate(r.date), days: null, workingDays: false };
  return { kind: 'offset', date: '', days: r.daysFromCongress ?? 0, workingDays: r.workingDays === true };
}

function toRules(drafts: Record<string, Draft>): Record<string, Rule> | string {
  const out: Record<string, Rule> = {};
  for (const [tier, d] of Object.entries(drafts)) {
    if (d.kind === 'date') {
      const iso = isoOf(d.date);
      if (!iso) return `${TIER[tier as Tier]}: ${P.dateInvalid}`;
      out[tier] = { date: iso };
    } else {
      if (d.days === null || !Number.isInteger(d.days) || Math.abs(d.days) > 730) return `${TIER[tier as Tier]}: ${P.daysInvalid}`;
      out[tier] = { daysFromCongress: d.days, workingDays: d.workingDays };
    }
  }
  return out;
}

function PreviewView({ preview }: { preview: Preview }) {
  return (
    <Space orientation="vertical" style={{ width: '100%' }} className="deadline-preview">
      <Alert
        type={preview.moved > 0 ? 'warning' : 'info'}
        showIcon
        title={preview.moved > 0 ? P.previewResult(formatNumber(preview.moved), formatNumber(preview.openSteps)) : P.previewNone}
        description={preview.moved > 0 ? P.previewDetail(formatNumber(preview.earlier), formatNumber(preview.later)) : undefined}
      />
      {preview.examples.length > 0 && (
        <Table
          size="small"
          aria-label={P.previewExamples}
          rowKey="unitId"
          pagination={false}
          dataSource={preview.examples}
          columns={[
            { title: 'Đơn vị', dataIndex: 'name', render: (n: string, r) => `${n} (${r.code})` },
            { title: P.from, dataIndex: 'from', render: (d: string | null) => (d ? formatDate(d) : P.noRule) },
            { title: P.to, dataIndex: 'to', render: (d: string | null) => (d ? formatDate(d) : P.noRule) },
          ]}
        />
      )}
    </Space>
  );
}

function EditStep({ plan, step, tiers, onClose }: { plan: Plan; step: Step; tiers: Tier[]; onClose: () => void }) {
  const [drafts, setDrafts] = useState<Record<string, Draft>>(() => Object.fromEntries(tiers.map((t) => [t, toDraft(step.deadlines[t])])));
  const [preview, setPreview] = useState<Preview | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = useSaveDeadlines(plan.id);
  const { message } = AntApp.useApp();

  const set = (tier: string, patch: Partial<Draft>) => {
    setDrafts((d) => ({ ...d, [tier]: { ...d[tier], ...patch } }));
    setPreview(null);
  };

  const runPreview = async () => {
    const rules = toRules(drafts);
    if (typeof rules === 'string') return setProblem(rules);
    setProblem(null);
    setBusy(true);
    try {
      setPreview(await previewDeadlines(plan.id, step.no, rules));
    } catch (e) {
      setProblem(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const runSave = async () => {
    const rules = toRules(drafts);
    if (typeof rules === 'string') return setProblem(rules);
    try {
      await save.mutateAsync({ no: step.no, deadlines: rules });
      void message.success(P.saved(step.no));
      onClose();
    } catch (e) {
      setProblem(errorMessage(e));
    }
  };

  return (
    <Modal
      open
      width={760}
      title={P.editTitle(step.no, step.title)}
      onCancel={onClose}
      footer={[
        <Button key="cancel" onClick={onClose}>
          Hủy
        </Button>,
        <Button key="preview" onClick={() => void runPreview()} loading={busy}>
          {P.preview}
        </Button>,
        <Button key="save" type="primary" disabled={!preview} loading={save.isPending} onClick={() => void runSave()}>
          Lưu
        </Button>,
      ]}
    >
      <Space orientation="vertical" style={{ width: '100%' }} size="middle">
        {tiers.map((tier) => {
          const d = drafts[tier];
          const label = TIER[tier];
          return (
            <fieldset key={tier} className="rule-row">
              <legend>{label}</legend>
              <Space wrap>
                <Select
                  aria-label={P.kind(label)}
                  value={d.kind}
                  style={{ width: 190 }}
                  options={[
                    { value: 'offset', label: P.kindOffset },
                    { value: 'date', label: P.kindDate },
                  ]}
                  onChange={(kind: Draft['kind']) => set(tier, { kind })}
                />
                {d.kind === 'date' ? (
                  <Input
                    aria-label={P.date(label)}
                    placeholder="dd/mm/yyyy"
                    value={d.date}
                    style={{ width: 140 }}
                    onChange={(e) => set(tier, { date: e.target.value })}
                  />
                ) : (
                  <>
                    <InputNumber
                      aria-label={P.days(label)}
                      value={d.days}
                      min={-730}
                      max={730}
                      precision={0}
                      style={{ width: 120 }}
                      onChange={(v) => set(tier, { days: typeof v === 'number' ? v : null })}
                    />
                    <Checkbox
                      checked={d.workingDays}
                      onChange={(e) => set(tier, { workingDays: e.target.checked })}
                      aria-label={P.workingDays(label)}
                    >
                      {P.workingDaysShort}
                    </Checkbox>
                  </>
                )}
              </Space>
            </fieldset>
          );
        })}
        <Typography.Text type="secondary">{P.daysHint}</Typography.Text>
        {problem && <Alert type="error" showIcon title={problem} />}
        {preview ? <PreviewView preview={preview} /> : <Typography.Text type="secondary">{P.previewFirst}</Typography.Text>}
      </Space>
    </Modal>
  );
}

/** Which tiers get a step: checkboxes, saved at once (the units of a running plan follow). */
function EditAppliesTo({ plan, step, onClose }: { plan: Plan; step: Step; onClose: () => void }) {
  const [tiers, setTiers] = useState<Tier[]>(step.appliesTo as Tier[]);
  const [problem, setProblem] = useState<string | null>(null);
  const save = useSaveAppliesTo(plan.id);
  const { message } = AntApp.useApp();
  const runSave = async () => {
    if (tiers.length === 0) return setProblem(P.appliesToEmpty);
    try {
      await save.mutateAsync({ no: step.no, appliesTo: TIER_ORDER.filter((t) => tiers.includes(t)) });
      void message.success(P.appliesToSaved(step.no));
      onClose();
    } catch (e) {
      setProblem(errorMessage(e));
    }
  };
  return (
    <Modal
      open
      title={P.appliesToTitle(step.no, step.title)}
      onCancel={onClose}
      footer={[
        <Button key="cancel" onClick={onClose}>
          Hủy
        </Button>,
        <Button key="save" type="primary" loading={save.isPending} onClick={() => void runSave()}>
          Lưu
        </Button>,
      ]}
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Checkbox.Group
          aria-label={P.appliesTo}
          value={tiers}
          options={TIER_ORDER.map((t) => ({ value: t, label: TIER[t] }))}
          onChange={(v) => {
            setTiers(v as Tier[]);
            setProblem(null);
          }}
        />
        <Typography.Text type="secondary">{P.appliesToHint}</Typography.Text>
        {problem && <Alert type="error" showIcon title={problem} />}
      </Space>
    </Modal>
  );
}

/** "Kế hoạch": the 15 steps with their deadline rules per tier; editing one shows its effect on due dates before saving. */
export function PlanPage() {
  const id = Number(useParams().id);
  const plan = usePlan(id);
  const [editing, setEditing] = useState<Step | null>(null);
  const [scoping, setScoping] = useState<Step | null>(null);
  if (plan.isLoading) return <PageSpinner />;
  if (plan.error || !plan.data)
    return <AdminPage title={P.plansTitle}>{plan.error && <ErrorAlert error={plan.error} onRetry={() => plan.refetch()} />}</AdminPage>;
  const p = plan.data;
  const tiers = tiersOf(p);
  return (
    <AdminPage title={P.planTitle(p.name)}>
      <Card
        size="small"
        title={P.stepsTitle}
        extra={<Pill tone={p.status === 'active' ? 'blue' : 'default'}>{P.statusOf[p.status] ?? p.status}</Pill>}
      >
        <Table<Step>
          size="small"
          rowKey="no"
          pagination={false}
          dataSource={p.steps}
          scroll={{ x: 900 }}
          columns={[
            { title: P.stepNo, dataIndex: 'no', width: 60 },
            {
              title: P.stepTitle,
              key: 'title',
              render: (_: unknown, s: Step) => (
                <>
                  {s.title}
                  {s.milestone && (
                    <div className="muted">
                      {P.milestone(
                        s.milestone.titleVi,
                        tiers
                          .filter((t) => s.milestone?.deadlines[t])
                          .map((t) => `${TIER[t]}: ${ruleText(s.milestone?.deadlines[t])}`)
                          .join('; '),
                      )}
                    </div>
                  )}
                </>
              ),
            },
            ...tiers.map((t) => ({
              title: TIER[t],
              key: t,
              width: 170,
              render: (_: unknown, s: Step) => (s.appliesTo.includes(t) ? ruleText(s.deadlines[t]) : P.notApplied),
            })),
            {
              title: 'Thao tác',
              key: 'edit',
              width: 150,
              render: (_: unknown, s: Step) => (
                <Space orientation="vertical" size={4}>
                  <Button size="small" aria-label={P.edit(s.no)} onClick={() => setEditing(s)}>
                    Sửa hạn
                  </Button>
                  <Button size="small" aria-label={P.editAppliesTo(s.no)} onClick={() => setScoping(s)}>
                    {P.appliesTo}
                  </Button>
                </Space>
              ),
            },
          ]}
        />
      </Card>
      {editing && <EditStep plan={p} step={editing} tiers={tiers} onClose={() => setEditing(null)} />}
      {scoping && <EditAppliesTo plan={p} step={scoping} onClose={() => setScoping(null)} />}
    </AdminPage>
  );
}

/** The plans, each opening its page. */
export function PlansPage() {
  const plans = usePlans();
  return (
    <AdminPage title={P.plansTitle}>
      <Card size="small">
        {plans.error ? (
          <ErrorAlert error={plans.error} onRetry={() => plans.refetch()} />
        ) : (
          <Table<Plan>
            size="small"
            rowKey="id"
            loading={plans.isLoading}
            dataSource={plans.data ?? []}
            pagination={false}
            locale={{ emptyText: P.empty }}
            columns={[
              { title: P.code, dataIndex: 'code', width: 160 },
              { title: P.name, dataIndex: 'name', render: (n: string, r) => <Link to={`/admin/plans/${r.id}`}>{n}</Link> },
              { title: P.status, dataIndex: 'status', width: 160, render: (s: string) => P.statusOf[s] ?? s },
            ]}
          />
        )}
      </Card>
    </AdminPage>
  );
}

export default function PlanRoute() {
  const { id } = useParams();
  return id && /^\d{1,9}$/.test(id) ? <PlanPage /> : <PlansPage />;
}
