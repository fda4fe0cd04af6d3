import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { ApiError, errorMessage } from '../../lib/errors';
import { T } from '../../lib/vi';
import { login, safeNext } from './session';

interface LoginForm {
  email: string;
  password: string;
}

export default function LoginPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (values: LoginForm) => {
    setBusy(true);
    setError(null);
    try {
      await login(values.email.trim(), values.password);
      queryClient.clear();
      navigate(safeNext(params.get('next')), { replace: true });
    } catch (e) {
      setError(e instanceof ApiError && e.code === 'UNAUTHENTICATED' ? T.wrongPassword : errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login-page">
      <Card className="login-card">
        <Typography.Title level={1} className="login-title">
          {T.appName}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{T.loginTitle}</Typography.Paragraph>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
        <Form<LoginForm> layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item
            label={T.email}
            name="email"
            rules={[
              { required: true, message: T.emailRequired },
              { type: 'email', message: T.emailInvalid },
            ]}
          >
            <Input autoComplete="username" inputMode="email" autoFocus />
          </Form.Item>
          <Form.Item label={T.password} name="password" rules={[{ required: true, message: T.passwordRequired }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            {T.login}
          </Button>
        </Form>
      </Card>
    </main>
  );
}
