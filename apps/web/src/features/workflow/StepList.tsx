import { HistoryOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button } from 'antd';
import { useState } from 'react';
import { Pill, STATUS_TONE } from '../../components/Pill';
import { dueTag, formatDate, formatDateTime, todayInVietnam } from '../../lib/format';
import { STATUS, T, type StepAction, type StepStatus } from '../../lib/vi';
import { actionButtons } from './actions';
import { ActionDialog, type ActionTarget } from './ActionDialog';
import { setMilestone, type WorkflowStep } from './api';
import { StepHistory } from './StepHistory';

/**
 * The unit's steps in order (those its plan applies to its tier): status, due date, a step's
 * milestone (step 11: delegate allocation), who changed it last, and the caller's actions.
 */
export function StepList({
  unitId,
  unitName,
  steps,
  canEdit = false,
}: {
  unitId: number;
  unitName: string;
  steps: WorkflowStep[];
  /** The caller may mark milestones (an editor or above). */
  canEdit?: boolean;
}) {
  const [target, setTarget] = useState<ActionTarget | null>(null);
  const [historyOf, setHistoryOf] = useState<{ no: number; title: string } | null>(null);
  const [marking, setMarking] = useState<number | null>(null);
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const today = todayInVietnam();

  const mark = async (no: number, done: boolean) => {
    setMarking(no);
    try {
      await setMilestone(unitId, no, done);
      message.success(T.milestoneSaved);
      await queryClient.invalidateQueries({ queryKey: ['workflow', unitId] });
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error));
    } finally {
      setMarking(null);
    }
  };

  return (
    <>
      <ol className="step-list">
        {steps.map((s) => {
          const due = dueTag(s, today);
          const by = s.updatedBy?.name ?? null;
          return (
            <li key={s.no} className={`step-item step-${s.status}`}>
              <section aria-label={`${T.step} ${s.no}: ${s.title}`} className="step-row">
                <div className="step-main">
                  <h3 className="step-title">
                    {T.step} {s.no}. {s.title}
                  </h3>
                  <div className="step-meta">
                    <Pill tone={STATUS_TONE[s.status] ?? 'default'}>{STATUS[s.status as StepStatus]}</Pill>
                    {s.dueDate ? (
                      <span className="muted">
                        {T.dueDate}: {formatDate(s.dueDate)}
                      </span>
                    ) : (
                      <span className="muted">{T.noDueDate}</span>
                    )}
                    {due && due.color !== 'default' && <Pill tone={due.color}>{due.text}</Pill>}
                    {s.requiresApproval && <span className="muted">· {T.needsApproval}</span>}
                  </div>
                  {s.milestone && (
                    <div className="step-meta step-milestone">
                      <span>
                        {T.milestone}: {s.milestone.title}
                      </span>
                      <span className="muted">
                        {s.milestone.dueDate ? `${T.dueDate}: ${formatDate(s.milestone.dueDate)}` : T.noDueDate}
                      </span>
                      {s.milestone.done ? (
                        <Pill tone="green">{T.milestoneDone}</Pill>
                      ) : (
                        (() => {
                          const m = dueTag({ status: s.status, dueDate: s.milestone.dueDate }, today);
                          return m && m.color !== 'default' ? <Pill tone={m.color}>{m.text}</Pill> : null;
                        })()
                      )}
                      {canEdit && (
                        <Button size="small" loading={marking === s.no} onClick={() => mark(s.no, !s.milestone?.done)}>
                          {s.milestone.done ? T.milestoneUnmark : T.milestoneMark}
                        </Button>
                      )}
                    </div>
                  )}
                  {(by || s.version > 1) && s.updatedAt && (
                    <div className="muted step-changed">
                      {by ? T.changedBy(by, formatDateTime(s.updatedAt)) : T.updatedAt(formatDateTime(s.updatedAt))}
                    </div>
                  )}
                  {s.lastNote && (
                    <div className="step-note">
                      {T.reason}: {s.lastNote}
                    </div>
                  )}
                  {s.lastDocumentRef && (
                    <div className="muted">
                      {T.documentRef}: {s.lastDocumentRef}
                    </div>
                  )}
                </div>
                <div className="step-actions">
                  {actionButtons(s.allowedActions).map((b) => (
                    <Button
                      key={b.action}
                      type={b.primary ? 'primary' : 'default'}
                      danger={b.danger}
                      onClick={() =>
                        setTarget({
                          unitId,
                          unitName,
                          stepNo: s.no,
                          stepTitle: s.title,
                          action: b.action as StepAction,
                          version: s.version,
                        })
                      }
                    >
                      {b.label}
                    </Button>
                  ))}
                  <Button
                    icon={<HistoryOutlined />}
                    onClick={() => setHistoryOf({ no: s.no, title: s.title })}
                    aria-label={`${T.history} ${T.step.toLowerCase()} ${s.no}`}
                  >
                    {T.history}
                  </Button>
                </div>
              </section>
            </li>
          );
        })}
      </ol>
      <ActionDialog target={target} onClose={() => setTarget(null)} />
      <StepHistory unitId={unitId} step={historyOf} onClose={() => setHistoryOf(null)} />
    </>
  );
}
