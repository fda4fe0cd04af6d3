import { DownloadOutlined } from '@ant-design/icons';
import { Button, Card, Col, Row as GridRow, Segmented, Space, Statistic, Table } from 'antd';
import type { EChartsCoreOption } from 'echarts/core';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { EChart } from '../../components/EChart';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageSpinner } from '../../components/PageSpinner';
import { Pill } from '../../components/Pill';
import { formatDate, formatNumber } from '../../lib/format';
import { NAV, STATUS, T, TIER } from '../../lib/vi';
import { useMe } from '../auth/session';
import { useUnit } from '../units/api';
import { exportUrl, type OverdueItem, useContents, useOverdue, useProgress } from './api';
import { type ChildFigures, childFigures, COUNTED, type Counts, type SortOrder, sortChildren, stepMatrix, totals } from './figures';
import { CONGRESS_TYPES, D } from './words';

/** One congress format's figures in the contents report's summary (`summary.byType`). */
interface TypeFigures {
  units: number;
  congressesHeld: number;
  completedAll: number;
  completedAllPct: number;
}

const pctText = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${formatNumber(v)}%`);

/** "Theo dõi tiến độ": the figures of a subtree, a bar per child unit, the steps × status heat map, the overdue list. */
export default function DashboardPage() {
  const [params, setParams] = useSearchParams();
  const me = useMe();
  const raw = params.get('rootId');
  const rootId = raw && /^\d{1,9}$/.test(raw) ? Number(raw) : me.data?.unitId;
  const [order, setOrder] = useState<SortOrder>('worst');

  const progress = useProgress(rootId);
  const contents = useContents(rootId, 1, 1);
  const overdue = useOverdue(rootId, 1, 10);
  const root = useUnit(rootId ?? 0);

  const children = useMemo(() => (progress.data ? progress.data.rows.map(childFigures) : []), [progress.data]);
  const sorted = useMemo(() => sortChildren(children, order), [children, order]);
  const matrix = useMemo(() => (progress.data ? stepMatrix(progress.data.rows) : []), [progress.data]);
  const sum = useMemo(() => (progress.data ? totals(progress.data.rows) : null), [progress.data]);

  const drill = (unitId: number | null) => {
    if (unitId !== null) setParams({ rootId: String(unitId) });
  };

  if (rootId === undefined) return me.error ? <ErrorAlert error={me.error} /> : <PageSpinner />;
  const error = progress.error ?? contents.error ?? overdue.error;
  const s = contents.data?.summary;
  const unit = root.data;
  const canGoUp = unit?.parentId != null && me.data !== undefined && unit.id !== me.data.unitId;

  return (
    <>
      <div className="dash-head">
        <div>
          <h1 className="page-title">{NAV.dashboard}</h1>
          <div className="dash-root">
            {unit ? (
              <>
                <strong>{unit.name}</strong>{' '}
                <span className="muted">
                  ({TIER[unit.tier]} · {unit.code})
                </span>
              </>
            ) : null}
            {canGoUp && unit?.parentId != null && (
              <Link to={`/dashboard?rootId=${unit.parentId}`} className="dash-up">
                {D.up}
                {unit.parentName ? `: ${unit.parentName}` : ''}
              </Link>
            )}
          </div>
          {progress.data && <div className="muted">{D.asOf(formatDate(progress.data.asOf))}</div>}
        </div>
        <Space wrap>
          <Button icon={<DownloadOutlined />} href={exportUrl('progress', 'xlsx', { rootId, layout: 'wide' })}>
            {D.downloadXlsx}
          </Button>
          <Button icon={<DownloadOutlined />} href={exportUrl('progress', 'csv', { rootId, layout: 'wide' })}>
            {D.downloadCsv}
          </Button>
        </Space>
      </div>

      {error ? (
        <ErrorAlert error={error} onRetry={() => void Promise.all([progress.refetch(), contents.refetch(), overdue.refetch()])} />
      ) : null}

      <section aria-label={D.headline}>
        <GridRow gutter={[12, 12]} className="dash-figures">
          <Col xs={12} md={8} xl={4}>
            <Card size="small">
              <Statistic title={D.units} value={s?.units ?? 0} loading={!s} formatter={(v) => formatNumber(Number(v))} />
            </Card>
          </Col>
          <Col xs={12} md={8} xl={4}>
            <Card size="small">
              <Statistic title={D.congressesHeld} value={s?.congressesHeld ?? 0} loading={!s} formatter={(v) => formatNumber(Number(v))} />
            </Card>
          </Col>
          <Col xs={12} md={8} xl={4}>
            <Card size="small">
              <Statistic
                title={D.completedAllContents}
                value={s?.completedAll ?? 0}
                loading={!s}
                formatter={(v) => formatNumber(Number(v))}
                suffix={s ? <span className="muted dash-suffix">({pctText(s.completedAllPct)})</span> : null}
              />
            </Card>
          </Col>
          <Col xs={12} md={8} xl={4}>
            <Card size="small">
              <Statistic
                title={D.completedAllSteps}
                value={sum?.completedAllSteps ?? 0}
                loading={!sum}
                formatter={(v) => formatNumber(Number(v))}
                suffix={sum ? <span className="muted dash-suffix">({pctText(sum.completedAllStepsPct)})</span> : null}
              />
            </Card>
          </Col>
          <Col xs={12} md={8} xl={4}>
            <Card size="small">
              <Statistic
                title={D.overdueSteps}
                value={overdue.data?.total ?? 0}
                loading={!overdue.data}
                formatter={(v) => formatNumber(Number(v))}
                styles={{ content: { color: overdue.data?.total ? '#cf1322' : undefined } }}
              />
            </Card>
          </Col>
          <Col xs={12} md={8} xl={4}>
            <Card size="small">
              <Statistic
                title={D.approvalOverdue}
                value={sum?.awaitingApprovalOverdue ?? 0}
                loading={!sum}
                formatter={(v) => formatNumber(Number(v))}
                styles={{ content: { color: sum?.awaitingApprovalOverdue ? '#cf1322' : undefined } }}
              />
            </Card>
          </Col>
        </GridRow>
        {s && (
          <Table
            size="small"
            className="dash-by-type"
            aria-label={D.byTypeTable}
            title={() => <h2 className="card-title">{D.byType}</h2>}
            rowKey="type"
            pagination={false}
            dataSource={CONGRESS_TYPES.map(({ type, label }) => ({ type, label, ...(s.byType[type] as TypeFigures | undefined) }))}
            columns={[
              { title: D.congressType, dataIndex: 'label' },
              { title: D.units, dataIndex: 'units', align: 'right', render: (n: number) => formatNumber(n) },
              { title: D.congressesHeld, dataIndex: 'congressesHeld', align: 'right', render: (n: number) => formatNumber(n) },
              { title: D.completedAllContents, dataIndex: 'completedAll', align: 'right', render: (n: number) => formatNumber(n) },
              { title: D.completedAllPct, dataIndex: 'completedAllPct', align: 'right', render: (v: number) => pctText(v) },
            ]}
          />
        )}
      </section>

      <Card
        size="small"
        title={<h2 className="card-title">{D.byChild}</h2>}
        className="dash-card"
        extra={
          <Segmented<SortOrder>
            aria-label={D.sort}
            value={order}
            onChange={setOrder}
            options={[
              { value: 'worst', label: D.worstFirst },
              { value: 'code', label: D.byCode },
            ]}
          />
        }
      >
        {progress.isLoading ? (
          <PageSpinner />
        ) : sorted.length === 0 ? (
          <span className="muted">{T.childrenEmpty}</span>
        ) : (
          <GridRow gutter={16}>
            <Col xs={24} xl={12}>
              <EChart
                label={D.byChildChart}
                height={Math.max(160, Math.min(sorted.length, 40) * 26 + 60)}
                option={barOption(sorted.slice(0, 40))}
                onItemClick={(i) => drill(sorted[i]?.unitId ?? null)}
              />
            </Col>
            <Col xs={24} xl={12}>
              <ChildTable rows={sorted} onDrill={drill} />
            </Col>
          </GridRow>
        )}
      </Card>

      <Card size="small" title={<h2 className="card-title">{D.matrix}</h2>} className="dash-card">
        {matrix.length > 0 && (
          <>
            <EChart label={D.matrixChart} height={420} option={heatOption(matrix)} />
            <MatrixTable matrix={matrix} />
          </>
        )}
      </Card>

      <Card
        size="small"
        title={<h2 className="card-title">{D.overdueList}</h2>}
        className="dash-card"
        extra={<Link to={`/reports/overdue?rootId=${rootId}`}>{D.seeAll(overdue.data?.total ?? 0)}</Link>}
      >
        <Table<OverdueItem>
          size="small"
          rowKey={(r) => `${r.unitId}-${r.stepNo}`}
          loading={overdue.isLoading}
          dataSource={overdue.data?.items ?? []}
          pagination={false}
          locale={{ emptyText: <span className="muted">{D.noOverdue}</span> }}
          columns={[
            { title: T.unit, dataIndex: 'name', render: (_, r) => <Link to={`/units/${r.unitId}`}>{r.name}</Link> },
            { title: T.parentUnit, dataIndex: 'parentName' },
            { title: T.step, dataIndex: 'stepNo', width: 70, render: (_, r) => <span title={r.title}>{r.stepNo}</span> },
            { title: T.dueDate, dataIndex: 'dueDate', width: 110, render: (v: string) => formatDate(v) },
            { title: T.overdue, dataIndex: 'daysOverdue', width: 150, render: (n: number) => <Pill tone="red">{T.overdueDays(n)}</Pill> },
          ]}
        />
      </Card>
    </>
  );
}

function ChildTable({ rows, onDrill }: { rows: ChildFigures[]; onDrill: (id: number | null) => void }) {
  return (
    <Table<ChildFigures>
      size="small"
      aria-label={D.byChildTable}
      rowKey="key"
      dataSource={rows}
      pagination={rows.length > 15 ? { pageSize: 15, size: 'small', showSizeChanger: false } : false}
      scroll={{ x: 520 }}
      columns={[
        {
          title: T.unit,
          dataIndex: 'name',
          render: (_, r) => (
            <Link
              to={`/dashboard?rootId=${r.unitId}`}
              className="dash-drill"
              aria-label={D.drill(r.name)}
              onClick={(e) => {
                e.preventDefault();
                onDrill(r.unitId);
              }}
            >
              {r.name}
            </Link>
          ),
        },
        { title: D.unitsShort, dataIndex: 'units', align: 'right', render: (n: number) => formatNumber(n) },
        { title: D.donePct, dataIndex: 'donePct', align: 'right', render: (v: number | null) => pctText(v) },
        { title: D.completedAllShort, dataIndex: 'completedAllSteps', align: 'right', render: (n: number) => formatNumber(n) },
        {
          title: D.overdueStepsShort,
          dataIndex: 'overdue',
          align: 'right',
          render: (n: number) => (n > 0 ? <span className="text-danger">{formatNumber(n)}</span> : '0'),
        },
      ]}
    />
  );
}

function MatrixTable({ matrix }: { matrix: Counts[] }) {
  return (
    <Table<Counts>
      size="small"
      aria-label={D.matrixTable}
      rowKey="no"
      dataSource={matrix}
      pagination={false}
      columns={[
        { title: T.step, dataIndex: 'no', width: 56 },
        ...COUNTED.map(({ field, status }) => ({
          title: STATUS[status],
          dataIndex: field,
          align: 'right' as const,
          render: (n: number) => formatNumber(n),
        })),
        { title: T.overdue, dataIndex: 'overdue', align: 'right' as const, render: (n: number) => formatNumber(n) },
      ]}
    />
  );
}

function barOption(rows: ChildFigures[]): EChartsCoreOption {
  const names = rows.map((r) => r.name);
  return {
    animation: false,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, textStyle: { fontSize: 11 } },
    grid: { left: 8, right: 16, top: 48, bottom: 8, containLabel: true },
    xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    yAxis: { type: 'category', data: names, inverse: true, axisLabel: { width: 160, overflow: 'truncate' } },
    series: COUNTED.map(({ field, status, color }) => ({
      name: STATUS[status],
      type: 'bar',
      stack: 'steps',
      itemStyle: { color },
      data: rows.map((r) => (r.steps > 0 ? Math.round((r.byStatus[field] * 1000) / r.steps) / 10 : 0)),
    })),
  };
}

function heatOption(matrix: Counts[]): EChartsCoreOption {
  const statuses = COUNTED.map((c) => STATUS[c.status]);
  const data: [number, number, number][] = [];
  let max = 1;
  matrix.forEach((m, y) =>
    COUNTED.forEach(({ field }, x) => {
      data.push([x, y, m[field]]);
      max = Math.max(max, m[field]);
    }),
  );
  return {
    animation: false,
    tooltip: { position: 'top' },
    grid: { left: 8, right: 8, top: 8, bottom: 64, containLabel: true },
    xAxis: { type: 'category', data: statuses, axisLabel: { interval: 0, rotate: 30, fontSize: 11 } },
    yAxis: { type: 'category', data: matrix.map((m) => `${T.step} ${m.no}`), inverse: true },
    visualMap: { min: 0, max, show: false, inRange: { color: ['#f5f5f5', '#ffd591', '#d4380d'] } },
    series: [{ type: 'heatmap', data, label: { show: true, fontSize: 10 } }],
  };
}
