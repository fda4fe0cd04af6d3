import { PlusOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Card, Form, Input, Modal, Select, Space, Table } from 'antd';
import { Pill } from '../../components/Pill';
import { useMemo, useState } from 'react';
import { ApiError, errorMessage, reasonText } from '../../lib/errors';
import { formatNumber } from '../../lib/format';
import { ROLE, type Role } from '../../lib/vi';
import { useMe } from '../auth/session';
import { AdminPage } from './AdminTabs';
import { useCreateUser, useUnitOptions, useUpdateUser, useUsers, type AdminUser, type NewUser } from './users-api';
import { U, USER_FIELD } from './words';

const ROLES: Role[] = ['viewer', 'editor', 'supervisor', 'admin'];
const ROLE_OPTIONS = ROLES.map((r) => ({ value: r, label: ROLE[r] }));

/** An API refusal of a user form, the fields named in Vietnamese. */
function userError(error: unknown): string {
  if (error instanceof ApiError && error.code === 'VALIDATION_FAILED' && Array.isArray(error.details)) {
    const parts = (error.details as { field: string; reason?: string }[]).map(
      (d) => `${USER_FIELD[d.field] ?? d.field} ${reasonText(d.reason)}`,
    );
    if (parts.length > 0) return `${errorMessage(new ApiError(400, 'VALIDATION_FAILED', ''))}: ${parts.join('; ')}`;
  }
  if (error instanceof ApiError && error.code === 'CONFLICT') return `${U.email}: ${errorMessage(error)} (email đã được dùng)`;
  return errorMessage(error);
}

function UnitPicker({
  value,
  onChange,
  fallback,
}: {
  value?: number;
  onChange?: (v: number) => void;
  fallback?: { id: number; name: string };
}) {
  const [q, setQ] = useState('');
  const units = useUnitOptions(q.trim());
  const options = (units.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.name} (${u.code})` }));
  if (fallback && !options.some((o) => o.value === fallback.id)) options.unshift({ value: fallback.id, label: fallback.name });
  return (
    <Select
      showSearch={{ filterOption: false, onSearch: setQ }}
      value={value}
      onChange={onChange}
      options={options}
      loading={units.isFetching}
      placeholder={U.unitPick}
      aria-label={U.unit}
    />
  );
}

function CreateUserDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const me = useMe();
  const [form] = Form.useForm<NewUser>();
  const create = useCreateUser();
  const { message } = AntApp.useApp();
  return (
    <Modal
      open={open}
      title={U.add}
      okText={U.add}
      cancelText="Hủy"
      confirmLoading={create.isPending}
      onCancel={() => {
        create.reset();
        onClose();
      }}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Form<NewUser>
        form={form}
        layout="vertical"
        initialValues={{ role: 'editor', unitId: me.data?.unitId }}
        onFinish={async (values) => {
          try {
            await create.mutateAsync(values);
            void message.success(U.created);
            form.resetFields();
            onClose();
          } catch {
            // Shown below the form.
          }
        }}
      >
        <Form.Item name="name" label={U.name} rules={[{ required: true, whitespace: true, message: U.required(U.name) }]}>
          <Input autoComplete="off" maxLength={200} />
        </Form.Item>
        <Form.Item
          name="email"
          label={U.email}
          rules={[
            { required: true, message: U.required(U.email) },
            { type: 'email', message: U.emailInvalid },
          ]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="password"
          label={U.password}
          extra={U.passwordHint}
          rules={[
            { required: true, message: U.required(U.password) },
            { min: 10, message: U.passwordShort },
          ]}
        >
          <Input.Password autoComplete="new-password" maxLength={200} />
        </Form.Item>
        <Form.Item name="role" label={U.role} rules={[{ required: true }]}>
          <Select options={ROLE_OPTIONS} aria-label={U.role} />
        </Form.Item>
        <Form.Item name="unitId" label={U.unit} rules={[{ required: true, message: U.required(U.unit) }]}>
          <UnitPicker fallback={me.data?.unit ? { id: me.data.unit.id, name: me.data.unit.name } : undefined} />
        </Form.Item>
      </Form>
      {create.error && <Alert type="error" showIcon title={userError(create.error)} />}
    </Modal>
  );
}

/** "Quản lý người dùng": the users of the admin's subtree; add, change role, disable and enable. */
export default function UsersPage() {
  const me = useMe();
  const users = useUsers();
  const update = useUpdateUser();
  const { message, modal } = AntApp.useApp();
  const [q, setQ] = useState('');
  const [adding, setAdding] = useState(false);

  const shown = useMemo(() => {
    const needle = q.trim().toLocaleLowerCase('vi');
    const all = users.data ?? [];
    return needle ? all.filter((u) => `${u.name} ${u.email} ${u.unitName}`.toLocaleLowerCase('vi').includes(needle)) : all;
  }, [users.data, q]);

  const change = async (user: AdminUser, patch: { role?: Role; disabled?: boolean }, done: string) => {
    try {
      await update.mutateAsync({ id: user.id, change: patch });
      void message.success(done);
    } catch (e) {
      void message.error(userError(e));
    }
  };

  return (
    <AdminPage title={U.title}>
      <Card size="small">
        <Space style={{ marginBottom: 12, width: '100%', justifyContent: 'space-between' }} wrap>
          <Input.Search
            aria-label={U.search}
            placeholder={U.searchPlaceholder}
            allowClear
            value={q}
            onChange={(e) => setQ(e.target.value)}
            style={{ width: 320 }}
          />
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
            {U.add}
          </Button>
        </Space>
        {users.error ? (
          <Alert type="error" showIcon title={errorMessage(users.error)} />
        ) : (
          <Table<AdminUser>
            size="small"
            rowKey="id"
            loading={users.isLoading}
            dataSource={shown}
            rowClassName={(u) => (u.disabled ? 'row-disabled' : '')}
            locale={{ emptyText: U.empty }}
            pagination={{ pageSize: 50, showSizeChanger: false, showTotal: (n) => U.count(formatNumber(n)) }}
            columns={[
              {
                title: U.name,
                dataIndex: 'name',
                render: (name: string, u) => (
                  <span>
                    {name} {u.id === me.data?.id && <span className="muted">{U.you}</span>}
                  </span>
                ),
              },
              { title: U.email, dataIndex: 'email' },
              {
                title: U.role,
                dataIndex: 'role',
                width: 200,
                render: (role: Role, u) => (
                  <Select<Role>
                    size="small"
                    value={role}
                    options={ROLE_OPTIONS}
                    aria-label={U.roleOf(u.name)}
                    disabled={u.id === me.data?.id}
                    style={{ width: 180 }}
                    onChange={(r) => void change(u, { role: r }, U.roleChanged(u.name, ROLE[r]))}
                  />
                ),
              },
              { title: U.unit, dataIndex: 'unitName', render: (name: string, u) => `${name} (${u.unitCode})` },
              {
                title: U.state,
                dataIndex: 'disabled',
                width: 130,
                render: (disabled: boolean) => (disabled ? <Pill tone="red">{U.disabled}</Pill> : <Pill tone="green">{U.active}</Pill>),
              },
              {
                title: 'Thao tác',
                key: 'actions',
                width: 150,
                render: (_: unknown, u) =>
                  u.id === me.data?.id ? null : u.disabled ? (
                    <Button
                      size="small"
                      aria-label={`${U.enable} ${u.email}`}
                      onClick={() => void change(u, { disabled: false }, U.enabledDone(u.name))}
                    >
                      {U.enable}
                    </Button>
                  ) : (
                    <Button
                      size="small"
                      danger
                      aria-label={`${U.disable} ${u.email}`}
                      onClick={() =>
                        modal.confirm({
                          title: U.disable,
                          content: U.disableConfirm(u.name),
                          okText: U.disable,
                          okButtonProps: { danger: true },
                          cancelText: 'Hủy',
                          onOk: () => change(u, { disabled: true }, U.disabledDone(u.name)),
                        })
                      }
                    >
                      {U.disable}
                    </Button>
                  ),
              },
            ]}
          />
        )}
      </Card>
      <CreateUserDialog open={adding} onClose={() => setAdding(false)} />
    </AdminPage>
  );
}
