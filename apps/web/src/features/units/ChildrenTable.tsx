import { Progress, Table } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { ErrorAlert } from '../../components/ErrorAlert';
import { EmptyText } from '../../components/PageSpinner';
import { Pill } from '../../components/Pill';
import type { ChildUnit } from '../../lib/api/contract';
import { formatNumber } from '../../lib/format';
import { T, TIER } from '../../lib/vi';
import { useChildren } from './api';

/** The unit's children with their progress (completed of total steps, overdue count). */
export function ChildrenTable({ unitId }: { unitId: number }) {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const children = useChildren(unitId, { page, pageSize });
  if (children.error) return <ErrorAlert error={children.error} onRetry={() => children.refetch()} />;
  return (
    <Table<ChildUnit>
      rowKey="id"
      size="middle"
      loading={children.isLoading}
      dataSource={children.data?.items ?? []}
      scroll={{ x: 560 }}
      locale={{ emptyText: <EmptyText>{T.childrenEmpty}</EmptyText> }}
      pagination={{
        current: page,
        pageSize,
        total: children.data?.total ?? 0,
        showSizeChanger: true,
        showTotal: (n) => T.pageTotal(n),
        onChange: (p, s) => {
          setPage(p);
          setPageSize(s);
        },
      }}
      columns={[
        {
          title: T.unit,
          dataIndex: 'name',
          render: (_, u) => (
            <div>
              <Link to={`/units/${u.id}`}>{u.name}</Link>
              <div className="muted">
                {TIER[u.tier]} · {u.code}
                {u.childrenCount > 0 ? ` · ${T.childUnitsCount(formatNumber(u.childrenCount))}` : ''}
              </div>
            </div>
          ),
        },
        {
          title: T.progress,
          key: 'progress',
          width: 220,
          render: (_, u) => (
            <div>
              <Progress
                percent={u.progress.total ? Math.round((u.progress.completed / u.progress.total) * 100) : 0}
                size="small"
                aria-label={`${T.progress} ${u.name}`}
              />
              <span className="muted">{T.stepsCount(u.progress.completed, u.progress.total)}</span>
            </div>
          ),
        },
        {
          title: T.overdue,
          key: 'overdue',
          width: 140,
          render: (_, u) =>
            u.progress.overdue > 0 ? <Pill tone="red">{T.overdueCount(u.progress.overdue)}</Pill> : <span className="muted">—</span>,
        },
      ]}
    />
  );
}
