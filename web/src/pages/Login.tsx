import { useState, type ReactNode } from 'react';
import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { api, setToken } from '../api.js';
import { useI18n } from '../i18n.js';

interface LoginResponse {
  token: string;
  expiresAt?: string;
}

export function Login({ onSignedIn, langSwitch }: { onSignedIn(): void; langSwitch: ReactNode }) {
  const { tr } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(v: { username: string; password: string }) {
    setBusy(true);
    setError(null);
    try {
      const r = await api<LoginResponse>('POST', '/v1/auth/login', v);
      setToken(r.token);
      onSignedIn();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="login-wrap">
      <Card style={{ width: 360 }}>
        <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            獬豸 Xiezhi
          </Typography.Title>
          {langSwitch}
        </Space>
        <Typography.Paragraph type="secondary">{tr('Sign in to the risk-control console', '登录风控控制台')}</Typography.Paragraph>
        {error && <Alert type="error" showIcon message={tr('Sign-in failed', '登录失败')} description={error} style={{ marginBottom: 12 }} data-testid="login-error" />}
        <Form layout="vertical" onFinish={submit} initialValues={{ username: 'admin' }}>
          <Form.Item name="username" label={tr('Username', '用户名')} rules={[{ required: true, message: tr('Enter the username', '请输入用户名') }]}>
            <Input autoComplete="username" data-testid="login-username" />
          </Form.Item>
          <Form.Item name="password" label={tr('Password', '密码')} rules={[{ required: true, message: tr('Enter the password', '请输入密码') }]}>
            <Input.Password autoComplete="current-password" data-testid="login-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            {tr('Sign in', '登录')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
