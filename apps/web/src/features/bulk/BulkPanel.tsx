import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Select, Space, Table } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { ErrorAlert } from '../../components/ErrorAlert';
import { EmptyText } from '../../components/PageSpinner';
import { Pill, STATUS_TONE } from '../../components/Pill';
import { api, unwrap } from '../../lib/api/client';
import type { BulkRequest, BulkResult, ChildUnit } from '../../lib/api/contract';
import { codeMessage, errorMessage } from '../../lib/errors';
import { formatDate } from '../../lib/format';
import { ACTION, STATUS, T, type StepAction, type StepStatus } from '../../lib/vi';
import { ACTION_ORDER, needsNote } from '../workflow/actions';
import { useChildren } from '../units/api';

export interface BulkOutcome {
  unitId: number;
  name: string;
  ok: boolean;
  text: string;
}

/** Per unit: "Đã thực hiện", or why not in Vietnamese. */
export function bulkOutcomes(results: BulkResult[], names: Map<number, string>): BulkOutcome[] {
  return results.map((r) => ({
    unitId: r.unitId,
    name: names.get(r.unitId) ?? String(r.unitId),
    ok: r.ok,
    text: r.ok ? T.bulkDone : codeMessage(r.code),
  }));
}

const STEP_STATUSES: StepStatus[] = ['not_started', 'in_progress', 'awaiting_approval', 'returned', 'completed', 'skipped'];

/**
 * One action on one step for many children at once (POST /api/steps/bulk-actions): pick the step,
 * filter by its status, select units, apply; the result lists each unit done or why not.
 */
export function BulkPanel({ unitId, stepTitles }: { unitId: number; stepTitles: { no: number; title: string }[] }) {
  const queryClient = useQueryClient();
  const [stepNo, setStepNo] = useState(1);
  const [status, setStatus] = useState<StepStatus | undefined>(undefined);
  const [action, setAction] = useState<StepAction>('start');
  const [note, setNote] = useState('');
  const [documentRef, setDocumentRef] = useState('');
  const [selected, setSelected] = useState<number[]>([]);
  const [outcomes, setOutcomes] = useState<BulkOutcome[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const children = useChildren(unitId, { stepNo, status, page: 1, pageSize: 500 });
  const rows = useMemo(() => children.data?.items ?? [], [children.data]);

  const apply = async () => {
    setError(null);
    if (selected.length === 0) return setError(T.bulkNoneSelected);
    if (needsNote(action) && !note.trim()) return setError(T.reasonRequired);
    const chosen = rows.filter((r) => selected.includes(r.id));
    const body: BulkRequest = {
      action,
      items: chosen.map((r) => ({ unitId: r.id, stepNo, expectedVersion: r.step?.version ?? 1 })),
      ...(note.trim() ? { note: note.trim() } : {}),
      ...(documentRef.trim() ? { documentRef: documentRef.trim() } : {}),
    };
    setBusy(true);
    try {
      const res = await unwrap(api.POST('/api/steps/bulk-actions', { body }));
      setOutcomes(bulkOutcomes(res.results, new Map(chosen.map((r) => [r.id, r.name]))));
      setSelected([]);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['children', unitId] }),
        queryClient.invalidateQueries({ queryKey: ['work'] }),
        ...chosen.map((r) => queryClient.invalidateQueries({ queryKey: ['workflow', r.id] })),
      ]);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const okCount = outcomes?.filter((o) => o.ok).length ?? 0;
  return (
    <div>
      <Form layout="vertical">
        <Space wrap align="end">
          <Form.Item label={T.bulkStep} htmlFor="bulk-step">
            <Select
              id="bulk-step"
              style={{ width: 300 }}
              value={stepNo}
              onChange={(v) => {
                setStepNo(v);
                setSelected([]);
              }}
              options={stepTitles.map((s) => ({ value: s.no, label: `${s.no}. ${s.title}` }))}
            />
          </Form.Item>
          <Form.Item label={T.bulkStatusFilter} htmlFor="bulk-status">
            <Select
              id="bulk-status"
              style={{ width: 240 }}
              value={status ?? ''}
              onChange={(v) => {
                setStatus((v || undefined) as StepStatus | undefined);
                setSelected([]);
              }}
              options={[{ value: '', label: T.bulkAllStatuses }, ...STEP_STATUSES.map((s) => ({ value: s, label: STATUS[s] }))]}
            />
          </Form.Item>
          <Form.Item label={T.bulkAction} htmlFor="bulk-action">
            <Select
              id="bulk-action"
              style={{ width: 200 }}
              value={action}
              onChange={setAction}
              options={ACTION_ORDER.map((a) => ({ value: a, label: ACTION[a] }))}
            />
          </Form.Item>
        </Space>
        <Space wrap align="end">
          <Form.Item label={T.reason} htmlFor="bulk-note" required={needsNote(action)}>
            <Input id="bulk-note" style={{ width: 320 }} value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
          </Form.Item>
          <Form.Item label={T.documentRef} htmlFor="bulk-doc">
            <Input
              id="bulk-doc"
              style={{ width: 220 }}
              value={documentRef}
              onChange={(e) => setDocumentRef(e.target.value)}
              maxLength={500}
            />
          </Form.Item>
        </Space>
      </Form>
      {children.error ? (
        <ErrorAlert error={children.error} onRetry={() => children.refetch()} />
      ) : (
        <>
          <Space wrap style={{ marginBottom: 8 }}>
            <Button onClick={() => setSelected(rows.map((r) => r.id))} disabled={rows.length === 0}>
              {T.selectAll}
            </Button>
            <span className="muted" aria-live="polite">
              {T.bulkSelected(selected.length)}
            </span>
            <Button type="primary" onClick={apply} loading={busy}>
              {T.bulkApply}: {ACTION[action]}
            </Button>
          </Space>
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} role="alert" />}
          {/* No antd scroll here: its hidden measuring row would copy the focusable select-all box (axe: aria-hidden-focus). */}
          <div className="table-scroll">
            <Table<ChildUnit>
              rowKey="id"
              size="small"
              loading={children.isLoading}
              dataSource={rows}
              pagination={false}
              locale={{ emptyText: <EmptyText>{T.bulkEmpty}</EmptyText> }}
              rowSelection={{
                selectedRowKeys: selected,
                onChange: (keys) => setSelected(keys.map(Number)),
                getCheckboxProps: (r) => ({ 'aria-label': T.selectUnit(r.name) }),
                columnTitle: undefined,
              }}
              columns={[
                { title: T.unit, dataIndex: 'name', render: (_, r) => <Link to={`/units/${r.id}`}>{r.name}</Link> },
                {
                  title: `${T.step} ${stepNo}`,
                  key: 'status',
                  render: (_, r) => (r.step ? <Pill tone={STATUS_TONE[r.step.status] ?? 'default'}>{STATUS[r.step.status]}</Pill> : '—'),
                },
                {
                  title: T.dueDate,
                  key: 'due',
                  render: (_, r) =>
                    r.step?.dueDate ? (
                      <span className={r.step.overdue ? 'text-overdue' : undefined}>{formatDate(r.step.dueDate)}</span>
                    ) : (
                      '—'
                    ),
                },
              ]}
            />
          </div>
        </>
      )}
      {outcomes && (
        <section aria-label={T.bulkResult} style={{ marginTop: 16 }}>
          <h3>{T.bulkResult}</h3>
          <Alert
            type={okCount === outcomes.length ? 'success' : 'warning'}
            showIcon
            title={T.bulkSummary(okCount, outcomes.length - okCount)}
            style={{ marginBottom: 8 }}
          />
          <Table<BulkOutcome>
            rowKey="unitId"
            size="small"
            pagination={false}
            dataSource={outcomes}
            columns={[
              { title: T.unit, dataIndex: 'name' },
              { title: T.bulkResult, key: 'text', render: (_, o) => <Pill tone={o.ok ? 'green' : 'red'}>{o.text}</Pill> },
            ]}
          />
        </section>
      )}
    </div>
  );
}
