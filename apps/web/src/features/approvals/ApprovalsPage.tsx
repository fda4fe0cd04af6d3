import { Button, Card, List, Space } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { ErrorAlert } from '../../components/ErrorAlert';
import { EmptyText } from '../../components/PageSpinner';
import { Pill } from '../../components/Pill';
import type { ApprovalItem } from '../../lib/api/contract';
import { dueTag, formatDate, formatDateTime, todayInVietnam } from '../../lib/format';
import { ACTION, T, TIER, type StepAction } from '../../lib/vi';
import { ActionDialog, type ActionTarget } from '../workflow/ActionDialog';
import { useMe } from '../auth/session';
import { useApprovals, useOutsideApprovals } from './api';

/** "Chờ phê duyệt": submissions waiting for the caller, oldest first; approve or return from the list. */
export default function ApprovalsPage() {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const approvals = useApprovals(page, pageSize);
  const me = useMe();
  // The root's own submissions: an admin of the root records the outside decision (the API answers empty for anyone else).
  const outside = useOutsideApprovals(me.data?.role === 'admin');
  const [target, setTarget] = useState<ActionTarget | null>(null);
  const today = todayInVietnam();

  const open = (a: ApprovalItem, action: StepAction) =>
    setTarget({ unitId: a.unitId, unitName: a.name, stepNo: a.stepNo, stepTitle: a.stepTitle, action, version: a.version });

  const row = (a: ApprovalItem) => {
    const due = dueTag({ status: 'awaiting_approval', dueDate: a.dueDate }, today);
    return (
      <List.Item>
        <section aria-label={`${a.name} — ${T.step} ${a.stepNo}`} className="approval-row">
          <div className="step-main">
            <div className="work-unit-head">
              <Link to={`/units/${a.unitId}`} className="work-unit-name">
                {a.name}
              </Link>
              {due && due.color !== 'default' && <Pill tone={due.color}>{due.text}</Pill>}
            </div>
            <div className="muted">
              {TIER[a.tier]} · {a.code}
              {a.parentName ? ` · ${a.parentName}` : ''}
            </div>
            <div style={{ marginTop: 4 }}>
              <strong>
                {T.step} {a.stepNo}. {a.stepTitle}
              </strong>
            </div>
            <div className="muted">
              {T.submittedAt}: {formatDateTime(a.submittedAt)}
              {a.submittedBy ? ` · ${T.submittedBy}: ${a.submittedBy.name}` : ''}
              {a.dueDate ? ` · ${T.dueDate} ${formatDate(a.dueDate)}` : ''}
            </div>
            {a.note && (
              <div>
                {T.note}: {a.note}
              </div>
            )}
            {a.documentRef && (
              <div>
                {T.documentRef}: {a.documentRef}
              </div>
            )}
          </div>
          <Space wrap className="step-actions">
            <Button type="primary" onClick={() => open(a, 'approve')}>
              {ACTION.approve}
            </Button>
            <Button danger onClick={() => open(a, 'return')}>
              {ACTION.return}
            </Button>
          </Space>
        </section>
      </List.Item>
    );
  };

  return (
    <>
      <h1 className="page-title">{T.approvalsTitle}</h1>
      <Card size="small">
        {approvals.error ? (
          <ErrorAlert error={approvals.error} onRetry={() => approvals.refetch()} />
        ) : (
          <List<ApprovalItem>
            loading={approvals.isLoading}
            dataSource={approvals.data?.items ?? []}
            locale={{ emptyText: <EmptyText>{T.approvalsEmpty}</EmptyText> }}
            pagination={{
              current: page,
              pageSize,
              total: approvals.data?.total ?? 0,
              size: 'small',
              showSizeChanger: true,
              onChange: (p, s) => {
                setPage(p);
                setPageSize(s);
              },
            }}
            renderItem={(a) => row(a)}
          />
        )}
      </Card>
      {(outside.data?.total ?? 0) > 0 && (
        <>
          <h2 className="page-title" style={{ marginTop: 16 }}>
            {T.outsideApprovalsTitle}
          </h2>
          <Card size="small">
            <p className="muted">{T.outsideApprovalsHint}</p>
            <List<ApprovalItem> dataSource={outside.data?.items ?? []} renderItem={(a) => row(a)} />
          </Card>
        </>
      )}
      <ActionDialog target={target} onClose={() => setTarget(null)} />
    </>
  );
}
