import { Empty, Modal, Timeline } from 'antd';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageSpinner } from '../../components/PageSpinner';
import { formatDateTime } from '../../lib/format';
import { ACTION_DONE, STATUS, T, type StepAction, type StepStatus } from '../../lib/vi';
import { useHistory } from './api';

/** Every transition of one step, oldest first (GET …/steps/:no/history). */
export function StepHistory({
  unitId,
  step,
  onClose,
}: {
  unitId: number;
  step: { no: number; title: string } | null;
  onClose: () => void;
}) {
  const history = useHistory(unitId, step?.no ?? 0, !!step);
  return (
    <Modal
      open={!!step}
      title={step ? `${T.history} — ${T.step} ${step.no}. ${step.title}` : ''}
      footer={null}
      onCancel={onClose}
      destroyOnHidden
    >
      {history.isLoading ? (
        <PageSpinner />
      ) : history.error ? (
        <ErrorAlert error={history.error} onRetry={() => history.refetch()} />
      ) : !history.data?.length ? (
        <Empty description={T.historyEmpty} />
      ) : (
        <Timeline
          items={history.data.map((h) => ({
            key: `${h.at}-${h.action}`,
            content: (
              <div>
                <strong>{ACTION_DONE[h.action as StepAction]}</strong> — {STATUS[h.fromStatus as StepStatus]} →{' '}
                {STATUS[h.toStatus as StepStatus]}
                <div className="muted">
                  {formatDateTime(h.at)} · {h.actor?.name ?? ''}
                  {h.actor?.email ? ` (${h.actor.email})` : ''}
                </div>
                {h.note && (
                  <div>
                    {T.reason}: {h.note}
                  </div>
                )}
                {h.documentRef && (
                  <div>
                    {T.documentRef}: {h.documentRef}
                  </div>
                )}
              </div>
            ),
          }))}
        />
      )}
    </Modal>
  );
}
