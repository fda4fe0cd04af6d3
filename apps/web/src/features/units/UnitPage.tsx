import { ArrowUpOutlined } from '@ant-design/icons';
import { Card, Grid, Progress, Space, Tabs } from 'antd';
import type { ReactNode } from 'react';
import { useParams, Link } from 'react-router-dom';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageSpinner } from '../../components/PageSpinner';
import { Pill } from '../../components/Pill';
import { formatDate } from '../../lib/format';
import { T, TIER } from '../../lib/vi';
import { useMe } from '../auth/session';
import { BulkPanel } from '../bulk/BulkPanel';
import { useWorkflow } from '../workflow/api';
import { StepList } from '../workflow/StepList';
import { ChildrenTable } from './ChildrenTable';
import { CongressForm } from './CongressForm';
import { useUnit } from './api';

/** One unit: its 15 steps and their actions, history, the congress record, children and bulk updates. */
export default function UnitPage() {
  const id = Number(useParams().id);
  const me = useMe();
  const unit = useUnit(id);
  const workflow = useWorkflow(id);
  const canEdit = me.data?.role !== 'viewer';
  // On a phone the tab labels are short, so that all fit (antd's overflow menu is not an ARIA tab).
  const narrow = !(Grid.useBreakpoint().md ?? true);

  if (!Number.isInteger(id) || id <= 0) return <ErrorAlert error={new Error(T.unitNotFound)} />;
  if (unit.isLoading) return <PageSpinner />;
  if (unit.error) return <ErrorAlert error={unit.error} onRetry={() => unit.refetch()} />;
  const u = unit.data;
  if (!u) return null;
  const wf = workflow.data;
  const pct = wf && wf.progress.total ? Math.round((wf.progress.completed / wf.progress.total) * 100) : 0;

  const tabs: { key: string; label: string; children: ReactNode }[] = [
    {
      key: 'steps',
      label: T.steps,
      children: workflow.isLoading ? (
        <PageSpinner />
      ) : workflow.error ? (
        <ErrorAlert error={workflow.error} onRetry={() => workflow.refetch()} />
      ) : wf ? (
        <StepList unitId={id} unitName={u.name} steps={wf.steps} canEdit={canEdit && u.status === 'active'} />
      ) : null,
    },
    { key: 'congress', label: narrow ? T.congressShort : T.congress, children: <CongressForm unitId={id} canEdit={canEdit} /> },
  ];
  if (u.childrenCount > 0) {
    tabs.push({
      key: 'children',
      label: `${narrow ? T.childrenShort : T.children} (${u.childrenCount})`,
      children: <ChildrenTable unitId={id} />,
    });
    if (canEdit && wf)
      tabs.push({
        key: 'bulk',
        label: narrow ? T.bulkShort : T.bulk,
        children: <BulkPanel unitId={id} stepTitles={wf.steps.map((s) => ({ no: s.no, title: s.title }))} />,
      });
  }

  return (
    <div className="unit-page">
      <Card className="unit-header" size="small">
        <Space orientation="vertical" size={4} style={{ width: '100%' }}>
          <h1 className="page-title" style={{ marginBottom: 0 }}>
            {u.name}
          </h1>
          <Space wrap size={[8, 4]}>
            <span className="muted">
              {TIER[u.tier]} · {T.code} {u.code}
            </span>
            {u.congressDate && <span className="muted">· {T.plannedCongressDate(formatDate(u.congressDate))}</span>}
            {u.parentId && (
              <Link to={`/units/${u.parentId}`}>
                <ArrowUpOutlined /> {u.parentName ? `${T.parentUnit}: ${u.parentName}` : T.parentUnit}
              </Link>
            )}
          </Space>
          {wf && (
            <div className="unit-progress">
              <Progress percent={pct} aria-label={T.progress} style={{ maxWidth: 420, marginBottom: 0, marginInlineEnd: 12 }} />
              <Space wrap>
                <span>{T.stepsCount(wf.progress.completed, wf.progress.total)}</span>
                {wf.progress.overdue > 0 && <Pill tone="red">{T.overdueCount(wf.progress.overdue)}</Pill>}
              </Space>
            </div>
          )}
        </Space>
      </Card>
      <Tabs items={tabs} style={{ marginTop: 12 }} tabBarGutter={narrow ? 14 : undefined} />
    </div>
  );
}
