import { DownloadOutlined } from '@ant-design/icons';
import { Button, Card, DatePicker, Select, Space, Table, Tabs, type TablePaginationConfig } from 'antd';
import type { SorterResult, SortOrder } from 'antd/es/table/interface';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Pill } from '../../components/Pill';
import { formatDate, formatNumber } from '../../lib/format';
import { NAV, STATUS, T, TIER, type StepStatus, type Tier } from '../../lib/vi';
import { useMe } from '../auth/session';
import { useUnit } from '../units/api';
import {
  type ContentsFilter,
  type ContentsItem,
  type ContentsSort,
  exportUrl,
  type OverdueItem,
  type OverdueSort,
  type ServerSort,
  useContents,
  useOverdue,
} from '../dashboard/api';
import { CONTENT_NAMES, D } from '../dashboard/words';

const CONTENT_STATUS: Record<string, string> = { done: 'Đã thực hiện', not_done: 'Chưa thực hiện', not_applicable: 'Không áp dụng' };
const KIND: Record<string, string> = { delegates: 'Đại hội đại biểu', members: 'Đại hội đảng viên' };

/** "Đại hội điểm": every unit, pilot congresses only, or the main wave only (the reports' `pilot` filter). */
function PilotFilter({ value, onChange }: { value: boolean | undefined; onChange: (v: boolean | undefined) => void }) {
  return (
    <Select<'' | 'true' | 'false'>
      aria-label={D.filterPilot}
      style={{ minWidth: 230 }}
      value={value === undefined ? '' : value ? 'true' : 'false'}
      onChange={(v) => onChange(v === '' ? undefined : v === 'true')}
      options={[
        { value: '', label: D.pilotAll },
        { value: 'true', label: D.pilotOnly },
        { value: 'false', label: D.pilotNone },
      ]}
    />
  );
}

function useRoot() {
  const [params] = useSearchParams();
  const me = useMe();
  const raw = params.get('rootId');
  return raw && /^\d{1,9}$/.test(raw) ? Number(raw) : me.data?.unitId;
}

function Downloads({ report, query }: { report: 'contents' | 'overdue'; query: Record<string, string | number | boolean | undefined> }) {
  return (
    <Space wrap>
      <Button icon={<DownloadOutlined />} href={exportUrl(report, 'xlsx', query)}>
        {D.downloadXlsx}
      </Button>
      <Button icon={<DownloadOutlined />} href={exportUrl(report, 'csv', query)}>
        {D.downloadCsv}
      </Button>
    </Space>
  );
}

/**
 * A report table's page, page size and sort, kept here and sent to the API: the server sorts over
 * all pages (not just the page loaded). A new sort or filter goes back to page 1.
 */
function useServerTable<C extends string>() {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [sort, setSort] = useState<ServerSort<C>>({});
  return {
    page,
    pageSize,
    sort,
    /** Back to the first page (a filter changed). */
    firstPage: () => setPage(1),
    pagination: (total: number): TablePaginationConfig => ({
      current: page,
      pageSize,
      total,
      showSizeChanger: true,
      showTotal: (n) => T.total(n),
    }),
    /** The column's sort arrow as the server sorts (controlled). */
    sortOrder: (column: C): SortOrder => (sort.sort === column ? (sort.order === 'desc' ? 'descend' : 'ascend') : null),
    onChange: <R,>(p: TablePaginationConfig, _filters: unknown, sorter: SorterResult<R> | SorterResult<R>[], extra: { action: string }) => {
      if (extra.action === 'sort') {
        const s = Array.isArray(sorter) ? sorter[0] : sorter;
        setSort(s?.order && s.columnKey ? { sort: String(s.columnKey) as C, order: s.order === 'descend' ? 'desc' : 'asc' } : {});
        setPage(1);
        return;
      }
      setPage(p.current ?? 1);
      setPageSize(p.pageSize ?? pageSize);
    },
  };
}

/** "Báo cáo": the two report tables as tabs (/reports/contents, /reports/overdue). */
export default function ReportsPage() {
  const { pathname, search } = useLocation();
  const navigate = useNavigate();
  const rootId = useRoot();
  const root = useUnit(rootId ?? 0);
  const tab = pathname.startsWith('/reports/overdue') ? 'overdue' : 'contents';
  return (
    <>
      <h1 className="page-title">{NAV.reports}</h1>
      {root.data && (
        <div className="muted dash-root">
          {D.rootUnit}: <strong>{root.data.name}</strong> ({TIER[root.data.tier]} · {root.data.code})
        </div>
      )}
      <Tabs
        activeKey={tab}
        onChange={(k) => navigate(`/reports/${k}${search}`)}
        items={[
          {
            key: 'contents',
            label: D.contentsTitle,
            children: rootId !== undefined && tab === 'contents' ? <ContentsTable rootId={rootId} /> : null,
          },
          {
            key: 'overdue',
            label: D.overdueTitle,
            children: rootId !== undefined && tab === 'overdue' ? <OverdueTable rootId={rootId} /> : null,
          },
        ]}
      />
    </>
  );
}

function ContentsTable({ rootId }: { rootId: number }) {
  const table = useServerTable<ContentsSort>();
  const [filter, setFilter] = useState<ContentsFilter>({});
  const [held, setHeld] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const contents = useContents(rootId, table.page, table.pageSize, filter, table.sort);
  const update = (f: Partial<ContentsFilter>) => {
    setFilter((old) => ({ ...old, ...f }));
    table.firstPage();
  };
  const s = contents.data?.summary;
  return (
    <Card size="small">
      <Space wrap className="report-filters">
        <Select<Tier | ''>
          aria-label={D.filterTier}
          style={{ minWidth: 200 }}
          value={filter.tier ?? ''}
          onChange={(v) => update({ tier: v || undefined })}
          options={[{ value: '', label: D.allTiers }, ...(Object.keys(TIER) as Tier[]).map((t) => ({ value: t, label: TIER[t] }))]}
        />
        <Select<'' | 'true' | 'false'>
          aria-label={D.filterCompleted}
          style={{ minWidth: 220 }}
          value={filter.completedAll === undefined ? '' : filter.completedAll ? 'true' : 'false'}
          onChange={(v) => update({ completedAll: v === '' ? undefined : v === 'true' })}
          options={[
            { value: '', label: D.all },
            { value: 'true', label: D.completedYes },
            { value: 'false', label: D.completedNo },
          ]}
        />
        <PilotFilter value={filter.pilot} onChange={(pilot) => update({ pilot })} />
        <DatePicker.RangePicker
          aria-label={D.heldOn}
          format="DD/MM/YYYY"
          value={held}
          onChange={(v) => {
            setHeld(v);
            update({ heldFrom: v?.[0]?.format('YYYY-MM-DD'), heldTo: v?.[1]?.format('YYYY-MM-DD') });
          }}
        />
        <Downloads report="contents" query={{ rootId, ...filter }} />
      </Space>
      {s && (
        <p className="report-summary">
          {D.units}: <strong>{formatNumber(s.units)}</strong> · {D.congressesHeld}: <strong>{formatNumber(s.congressesHeld)}</strong> ·{' '}
          {D.completedAllContents}: <strong>{formatNumber(s.completedAll)}</strong> ({formatNumber(s.completedAllPct)}%)
        </p>
      )}
      {contents.error ? <ErrorAlert error={contents.error} onRetry={() => contents.refetch()} /> : null}
      {/* A focusable scroll area (keyboard users scroll the wide table with the arrow keys, even when it is empty). */}
      <div className="table-scroll" tabIndex={0} role="region" aria-label={D.contentsTitle}>
        <Table<ContentsItem>
          size="small"
          aria-label={D.contentsTitle}
          rowKey="unitId"
          loading={contents.isFetching}
          dataSource={contents.data?.items ?? []}
          pagination={table.pagination(contents.data?.total ?? 0)}
          onChange={table.onChange}
          columns={[
            { title: T.code, dataIndex: 'code', key: 'code', width: 110, sorter: true, sortOrder: table.sortOrder('code') },
            {
              title: T.unit,
              dataIndex: 'name',
              key: 'name',
              width: 220,
              sorter: true,
              sortOrder: table.sortOrder('name'),
              render: (_, r) => <Link to={`/units/${r.unitId}`}>{r.name}</Link>,
            },
            {
              title: T.parentUnit,
              dataIndex: 'parentName',
              key: 'parentName',
              width: 200,
              sorter: true,
              sortOrder: table.sortOrder('parentName'),
            },
            { title: T.tier, dataIndex: 'tier', width: 120, render: (t: Tier) => TIER[t] },
            {
              title: D.heldOn,
              dataIndex: 'heldOn',
              key: 'heldOn',
              width: 110,
              sorter: true,
              sortOrder: table.sortOrder('heldOn'),
              render: (v: string) => formatDate(v),
            },
            { title: D.kind, dataIndex: 'kind', width: 140, render: (k: string) => KIND[k] ?? k },
            ...CONTENT_NAMES.map((name, i) => ({
              title: name,
              key: `c${i + 1}`,
              width: 130,
              render: (_: unknown, r: ContentsItem) => {
                const c = r.contents[i];
                const note = (r.notes as Record<string, string>)[String(i + 1)];
                return (
                  <span title={note}>
                    {c ? CONTENT_STATUS[c] : D.notRecorded}
                    {c === 'not_applicable' && note ? <div className="muted">{note}</div> : null}
                  </span>
                );
              },
            })),
            {
              title: D.applicable,
              dataIndex: 'applicableContents',
              width: 100,
              align: 'right' as const,
            },
            {
              title: D.completedYes,
              dataIndex: 'completedAll',
              key: 'completedAll',
              width: 120,
              sorter: true,
              sortOrder: table.sortOrder('completedAll'),
              render: (v: boolean) => (v ? <Pill tone="green">{D.yes}</Pill> : <Pill tone="red">{D.no}</Pill>),
            },
            {
              title: D.missing,
              dataIndex: 'missing',
              width: 200,
              render: (m: number[]) => m.map((no) => CONTENT_NAMES[no - 1]).join(', '),
            },
          ]}
        />
      </div>
    </Card>
  );
}

function OverdueTable({ rootId }: { rootId: number }) {
  const table = useServerTable<OverdueSort>();
  const [step, setStep] = useState<number | ''>('');
  const [pilot, setPilot] = useState<boolean | undefined>(undefined);
  // The step filter is the API's (stepNo): total, pages and downloads all count that step only.
  const stepNo = step === '' ? undefined : step;
  const overdue = useOverdue(rootId, table.page, table.pageSize, table.sort, { stepNo, pilot });
  const items = overdue.data?.items ?? [];
  return (
    <Card size="small">
      <Space wrap className="report-filters">
        <Select<number | ''>
          aria-label={T.bulkStep}
          style={{ minWidth: 160 }}
          value={step}
          onChange={(v) => {
            setStep(v);
            table.firstPage();
          }}
          options={[{ value: '', label: D.all }, ...Array.from({ length: 15 }, (_, i) => ({ value: i + 1, label: `${T.step} ${i + 1}` }))]}
        />
        <PilotFilter
          value={pilot}
          onChange={(v) => {
            setPilot(v);
            table.firstPage();
          }}
        />
        <span className="muted">{table.sort.sort ? D.sortedByColumn : D.sortedByServer}</span>
        <Downloads report="overdue" query={{ rootId, stepNo, pilot }} />
      </Space>
      {overdue.error ? <ErrorAlert error={overdue.error} onRetry={() => overdue.refetch()} /> : null}
      {/* A focusable scroll area (keyboard users scroll the wide table with the arrow keys, even when it is empty). */}
      <div className="table-scroll" tabIndex={0} role="region" aria-label={D.overdueTitle}>
        <Table<OverdueItem>
          size="small"
          aria-label={D.overdueTitle}
          rowKey={(r) => `${r.unitId}-${r.stepNo}`}
          loading={overdue.isFetching}
          dataSource={items}
          pagination={table.pagination(overdue.data?.total ?? 0)}
          onChange={table.onChange}
          columns={[
            { title: T.code, dataIndex: 'code', key: 'code', width: 110, sorter: true, sortOrder: table.sortOrder('code') },
            {
              title: T.unit,
              dataIndex: 'name',
              key: 'name',
              width: 220,
              sorter: true,
              sortOrder: table.sortOrder('name'),
              render: (_, r) => <Link to={`/units/${r.unitId}`}>{r.name}</Link>,
            },
            {
              title: T.parentUnit,
              dataIndex: 'parentName',
              key: 'parentName',
              width: 200,
              sorter: true,
              sortOrder: table.sortOrder('parentName'),
            },
            { title: T.tier, dataIndex: 'tier', width: 120, render: (t: Tier) => TIER[t] },
            { title: T.step, dataIndex: 'stepNo', key: 'stepNo', width: 70, sorter: true, sortOrder: table.sortOrder('stepNo') },
            { title: D.stepTitle, dataIndex: 'title', width: 260 },
            {
              title: T.dueDate,
              dataIndex: 'dueDate',
              key: 'dueDate',
              width: 110,
              render: (v: string) => formatDate(v),
              sorter: true,
              sortOrder: table.sortOrder('dueDate'),
            },
            {
              title: D.daysOverdue,
              dataIndex: 'daysOverdue',
              key: 'daysOverdue',
              width: 140,
              sorter: true,
              sortOrder: table.sortOrder('daysOverdue'),
              render: (n: number) => <Pill tone="red">{T.overdueDays(n)}</Pill>,
            },
            { title: T.status, dataIndex: 'status', width: 160, render: (s: StepStatus) => STATUS[s] ?? s },
          ]}
        />
      </div>
    </Card>
  );
}
