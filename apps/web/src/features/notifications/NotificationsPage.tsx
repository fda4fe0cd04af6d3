import { ReloadOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Card, DatePicker, Select, Space, Table } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Pill } from '../../components/Pill';
import { errorMessage } from '../../lib/errors';
import { formatDateTime, formatNumber } from '../../lib/format';
import { T } from '../../lib/vi';
import { useUnitOptions } from '../admin/users-api';
import { useMe } from '../auth/session';
import {
  type Notification,
  type NotificationFilter,
  type NotificationKind,
  type NotificationStatus,
  useNotifications,
  useResend,
} from './api';
import { KIND, N, SEND_STATUS } from './words';
import './notifications.css';

const STATUS_OPTIONS = [
  { value: '', label: N.allStatuses },
  ...(Object.keys(SEND_STATUS) as NotificationStatus[]).map((s) => ({ value: s, label: SEND_STATUS[s].text })),
];
const KIND_OPTIONS = [
  { value: '', label: N.allKinds },
  ...(Object.keys(KIND) as NotificationKind[]).map((k) => ({ value: k, label: KIND[k] })),
];

/** The units to filter by, searched on the server (accents and case ignored). */
function UnitFilter({ value, onChange }: { value?: number; onChange: (id: number | undefined) => void }) {
  const [q, setQ] = useState('');
  const units = useUnitOptions(q.trim());
  const options = [
    { value: 0, label: N.allUnits },
    ...(units.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.name} (${u.code})` })),
  ];
  return (
    <Select<number>
      showSearch={{ filterOption: false, onSearch: setQ }}
      aria-label={N.filterUnit}
      style={{ minWidth: 260 }}
      value={value ?? 0}
      onChange={(v) => onChange(v || undefined)}
      options={options}
      loading={units.isFetching}
    />
  );
}

function Recipients({ list }: { list: string[] }) {
  if (list.length <= 2) return <>{list.join(', ')}</>;
  return (
    <span title={list.join(', ')}>
      {list.slice(0, 2).join(', ')} <span className="muted">{N.more(list.length - 2)}</span>
    </span>
  );
}

/** "Nhật ký thông báo": the emails of the caller's subtree; failed ones stand out, and admins can send them again. */
export default function NotificationsPage() {
  const me = useMe();
  const isAdmin = me.data?.role === 'admin';
  const { message } = AntApp.useApp();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [filter, setFilter] = useState<NotificationFilter>({});
  const [days, setDays] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const log = useNotifications(page, pageSize, filter);
  const resend = useResend();
  const update = (f: Partial<NotificationFilter>) => {
    setFilter((old) => ({ ...old, ...f }));
    setPage(1);
  };
  const items = log.data?.items ?? [];
  const failedHere = items.filter((n) => n.status === 'failed').length;

  const sendAgain = async (n: Notification) => {
    try {
      const { requeued } = await resend.mutateAsync(n.id);
      if (requeued > 0) void message.success(N.resent);
      else void message.info(N.notFailed);
    } catch (e) {
      void message.error(errorMessage(e));
    }
  };

  return (
    <>
      <h1 className="page-title">{N.title}</h1>
      <p className="muted">{N.intro}</p>
      <Card size="small">
        <Space wrap className="report-filters">
          <Select<NotificationStatus | ''>
            aria-label={N.filterStatus}
            style={{ minWidth: 200 }}
            value={filter.status ?? ''}
            onChange={(v) => update({ status: v || undefined })}
            options={STATUS_OPTIONS}
          />
          <Select<NotificationKind | ''>
            aria-label={N.filterKind}
            style={{ minWidth: 200 }}
            value={filter.kind ?? ''}
            onChange={(v) => update({ kind: v || undefined })}
            options={KIND_OPTIONS}
          />
          <UnitFilter value={filter.unitId} onChange={(unitId) => update({ unitId })} />
          <DatePicker.RangePicker
            aria-label={N.filterDays}
            format="DD/MM/YYYY"
            value={days}
            onChange={(v) => {
              setDays(v);
              update({ from: v?.[0]?.format('YYYY-MM-DD'), to: v?.[1]?.format('YYYY-MM-DD') });
            }}
          />
          <Button
            onClick={() => {
              setDays(null);
              setFilter({});
              setPage(1);
            }}
          >
            {N.clear}
          </Button>
          <Button icon={<ReloadOutlined />} onClick={() => void log.refetch()}>
            {N.reload}
          </Button>
        </Space>
        {failedHere > 0 && (
          <p className="notif-failed-count" role="status">
            {N.failedCount(failedHere)}
          </p>
        )}
        {log.error ? <ErrorAlert error={log.error} onRetry={() => log.refetch()} /> : null}
        {/* A focusable scroll area (keyboard users scroll the wide table with the arrow keys, even when it is empty). */}
        <div className="table-scroll" tabIndex={0} role="region" aria-label={N.table}>
          <Table<Notification>
            size="small"
            aria-label={N.table}
            rowKey="id"
            loading={log.isLoading}
            dataSource={items}
            rowClassName={(n) => (n.status === 'failed' ? 'notif-failed' : '')}
            locale={{ emptyText: <span className="muted">{N.empty}</span> }}
            pagination={{
              current: page,
              pageSize,
              total: log.data?.total ?? 0,
              showSizeChanger: true,
              showTotal: (n) => T.total(n),
              onChange: (p, size) => {
                setPage(p);
                setPageSize(size);
              },
            }}
            columns={[
              { title: N.createdAt, dataIndex: 'createdAt', width: 112, render: (v: string) => formatDateTime(v) },
              { title: N.kind, dataIndex: 'kind', width: 120, render: (k: string) => KIND[k as NotificationKind] ?? k },
              {
                title: N.unit,
                dataIndex: 'unitName',
                width: 170,
                render: (_, n) =>
                  n.unitId !== null ? (
                    <Link to={`/units/${n.unitId}`}>{n.unitName ?? n.unitCode ?? n.unitId}</Link>
                  ) : (
                    <span className="muted">{N.noUnit}</span>
                  ),
              },
              { title: N.recipients, dataIndex: 'recipients', width: 170, render: (r: string[]) => <Recipients list={r} /> },
              {
                title: N.status,
                dataIndex: 'status',
                width: 160,
                render: (s: string, n) => {
                  const st = SEND_STATUS[s as NotificationStatus];
                  return (
                    <>
                      <Pill tone={st?.tone ?? 'default'}>{st?.text ?? s}</Pill>
                      {n.sentAt ? <div className="muted">{N.sentAtText(formatDateTime(n.sentAt))}</div> : null}
                    </>
                  );
                },
              },
              { title: N.attempts, dataIndex: 'attempts', width: 64, align: 'right', render: (n: number) => formatNumber(n) },
              {
                title: N.error,
                dataIndex: 'error',
                width: 130,
                render: (e: string | null) =>
                  e ? (
                    <span className="notif-error" title={e}>
                      {e}
                    </span>
                  ) : null,
              },
              ...(isAdmin
                ? [
                    {
                      title: N.actions,
                      key: 'actions',
                      width: 96,
                      render: (_: unknown, n: Notification) =>
                        n.status === 'failed' ? (
                          <Button
                            size="small"
                            aria-label={N.resendLabel(n.unitName ?? N.noUnit)}
                            loading={resend.isPending && resend.variables === n.id}
                            onClick={() => void sendAgain(n)}
                          >
                            {N.resend}
                          </Button>
                        ) : null,
                    },
                  ]
                : []),
            ]}
          />
        </div>
      </Card>
    </>
  );
}
