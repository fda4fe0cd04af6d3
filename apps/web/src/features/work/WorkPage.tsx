import { Card, Col, List, Row, Statistic } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { ErrorAlert } from '../../components/ErrorAlert';
import { EmptyText } from '../../components/PageSpinner';
import { Pill, STATUS_TONE } from '../../components/Pill';
import type { WorkItem, WorkPage as WorkPageData, WorkStep } from '../../lib/api/contract';
import { formatDate, formatNumber, urgencyTag } from '../../lib/format';
import { STATUS, T, TIER } from '../../lib/vi';
import { useMe } from '../auth/session';
import { UnitTree } from './UnitTree';
import { useWork } from './api';

/** The tag of one step in the work list: why it is there, in Vietnamese. */
export function workStepTag(s: WorkStep): { tone: string; text: string } {
  if (s.daysOverdue > 0) return { tone: 'red', text: T.overdueDays(s.daysOverdue) };
  if (s.reason === 'returned') return { tone: 'volcano', text: T.returned };
  if (s.reason === 'awaiting_approval') return { tone: 'blue', text: T.awaitingMyApproval };
  if (s.daysLeft !== null && s.daysLeft !== undefined) return { tone: 'orange', text: T.dueInDays(s.daysLeft) };
  return { tone: 'orange', text: T.dueSoon };
}

function WorkRow({ item }: { item: WorkItem }) {
  const u = urgencyTag(item.urgency);
  return (
    <List.Item className="work-item">
      <div style={{ width: '100%' }}>
        <div className="work-unit-head">
          <Link to={`/units/${item.unitId}`} className="work-unit-name">
            {item.name}
          </Link>
          <Pill tone={u.color}>{u.text}</Pill>
        </div>
        <div className="muted">
          {TIER[item.tier]} · {item.code}
          {item.parentName ? ` · ${item.parentName}` : ''}
        </div>
        <ul className="work-unit-steps">
          {item.steps.map((s) => {
            const tag = workStepTag(s);
            return (
              <li key={s.no} className="work-step">
                <span>
                  {T.step} {s.no}. {s.title}
                </span>
                <Pill tone={STATUS_TONE[s.status] ?? 'default'}>{STATUS[s.status]}</Pill>
                <Pill tone={tag.tone}>{tag.text}</Pill>
                {s.dueDate && (
                  <span className="muted">
                    {T.dueDate} {formatDate(s.dueDate)}
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      </div>
    </List.Item>
  );
}

/** The figures above the list; "awaiting my approval" only for those who may approve. */
function cards(counts: WorkPageData['counts'], canApprove: boolean): [string, number, string][] {
  const all: [string, number, string][] = [
    [T.overdue, counts.overdue, '#a8071a'],
    [T.dueSoon, counts.dueSoon, '#873800'],
    [T.returned, counts.returned, '#871400'],
  ];
  return canApprove ? [...all, [T.awaitingMyApproval, counts.awaitingApproval, '#003eb3']] : all;
}

/** "Việc cần làm": the caller's units with something to do, most urgent first, and the unit tree. */
export default function WorkPage() {
  const me = useMe();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const work = useWork(page, pageSize);
  const counts = work.data?.counts;
  const canApprove = me.data?.role === 'supervisor' || me.data?.role === 'admin';
  const root = me.data?.unit ?? (me.data ? { id: me.data.unitId, name: T.myUnit, tier: 'province' as const } : null);

  return (
    <>
      <h1 className="page-title">{T.workTitle}</h1>
      {counts && (
        <Row gutter={[12, 12]} style={{ marginBottom: 16 }}>
          {cards(counts, canApprove).map(([label, value, color], _, all) => (
            <Col xs={12} md={24 / all.length} key={label}>
              <Card size="small">
                <Statistic title={label} value={value} formatter={(v) => formatNumber(Number(v))} styles={{ content: { color } }} />
              </Card>
            </Col>
          ))}
        </Row>
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Card size="small" title={`${T.workTitle}${work.data ? ` — ${T.pageTotal(work.data.total)}` : ''}`}>
            {work.error ? (
              <ErrorAlert error={work.error} onRetry={() => work.refetch()} />
            ) : (
              <List<WorkItem>
                loading={work.isLoading}
                dataSource={work.data?.items ?? []}
                locale={{ emptyText: <EmptyText>{T.workEmpty}</EmptyText> }}
                renderItem={(item) => <WorkRow item={item} />}
                pagination={{
                  current: page,
                  pageSize,
                  total: work.data?.total ?? 0,
                  showSizeChanger: true,
                  size: 'small',
                  onChange: (p, s) => {
                    setPage(p);
                    setPageSize(s);
                  },
                }}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card size="small" title={T.tree}>
            {root && <UnitTree key={root.id} root={root} />}
          </Card>
        </Col>
      </Row>
    </>
  );
}
