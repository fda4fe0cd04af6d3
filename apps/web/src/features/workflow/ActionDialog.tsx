import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { ApiError, errorMessage } from '../../lib/errors';
import { ACTION, T, type StepAction } from '../../lib/vi';
import { needsNote } from './actions';
import { transition } from './api';

export interface ActionTarget {
  unitId: number;
  unitName?: string;
  stepNo: number;
  stepTitle: string;
  action: StepAction;
  version: number;
}

interface Values {
  note?: string;
  documentRef?: string;
}

/**
 * The confirmation of one action on one step: "Lý do" (required for return, reopen and skip) and
 * "Số văn bản". A stale version says so, closes and reloads the step.
 */
export function ActionDialog({ target, onClose, onDone }: { target: ActionTarget | null; onClose: () => void; onDone?: () => void }) {
  const [form] = Form.useForm<Values>();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const refresh = async (unitId: number) => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: ['workflow', unitId] }),
      queryClient.invalidateQueries({ queryKey: ['history', unitId] }),
      queryClient.invalidateQueries({ queryKey: ['approvals'] }),
      queryClient.invalidateQueries({ queryKey: ['work'] }),
      queryClient.invalidateQueries({ queryKey: ['children'] }),
    ]);
  };

  const submit = async () => {
    if (!target) return;
    const values = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      await transition(target.unitId, target.stepNo, {
        action: target.action,
        expectedVersion: target.version,
        note: values.note?.trim() || undefined,
        documentRef: values.documentRef?.trim() || undefined,
      });
      message.success(`${T.actionDone}: ${ACTION[target.action]} — ${T.step} ${target.stepNo}`);
      form.resetFields();
      onClose();
      onDone?.();
      await refresh(target.unitId);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'VERSION_CONFLICT') {
        message.warning(T.versionConflict);
        form.resetFields();
        onClose();
        await refresh(target.unitId);
      } else {
        setError(errorMessage(e));
      }
    } finally {
      setBusy(false);
    }
  };

  const required = target ? needsNote(target.action) : false;
  return (
    <Modal
      open={!!target}
      title={target ? `${ACTION[target.action]} — ${T.step} ${target.stepNo}. ${target.stepTitle}` : ''}
      okText={T.confirm}
      cancelText={T.cancel}
      confirmLoading={busy}
      onOk={submit}
      onCancel={() => {
        setError(null);
        form.resetFields();
        onClose();
      }}
      destroyOnHidden
      okButtonProps={{ danger: target?.action === 'return' }}
    >
      {target?.unitName && <p className="muted">{target.unitName}</p>}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} role="alert" />}
      <Form form={form} layout="vertical" requiredMark={required ? true : 'optional'} preserve={false}>
        <Form.Item
          label={T.reason}
          name="note"
          rules={[
            { required, whitespace: true, message: T.reasonRequired },
            { max: 2000, message: T.reasonTooLong },
          ]}
        >
          <Input.TextArea rows={3} />
        </Form.Item>
        <Form.Item label={T.documentRef} name="documentRef" rules={[{ max: 500, message: T.documentRefTooLong }]}>
          <Input placeholder={T.documentRefHint} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
