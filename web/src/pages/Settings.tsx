// Settings: API keys (created keys are shown once; revoke) and console users.
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { api } from '../api.js';
import { useI18n } from '../i18n.js';

interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt?: string;
  revokedAt?: string;
}
interface User {
  id: string;
  username: string;
  role: string;
  createdAt?: string;
  disabledAt?: string;
}

export default function Settings() {
  const { tr } = useI18n();
  const { message, modal } = App.useApp();
  const [keys, setKeys] = useState<ApiKey[] | null>(null);
  const [users, setUsers] = useState<User[] | null>(null);
  const [usersError, setUsersError] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const [keyName, setKeyName] = useState('');
  const [newUser, setNewUser] = useState(false);
  const [userForm] = Form.useForm();
  const [meId, setMeId] = useState<string | null>(null);
  const [saving, setSaving] = useState<string | null>(null);

  const loadKeys = () =>
    api<{ items: ApiKey[] }>('GET', '/v1/api-keys')
      .then((r) => setKeys(r.items))
      .catch((e) => (message.error((e as Error).message), setKeys([])));
  const loadUsers = () =>
    api<{ items: User[] }>('GET', '/v1/users')
      .then((r) => setUsers(r.items))
      .catch((e) => (setUsersError((e as Error).message), setUsers([])));
  useEffect(() => {
    void loadKeys();
    void loadUsers();
    api<{ user?: { id: string } }>('GET', '/v1/auth/me')
      .then((r) => setMeId(r.user?.id ?? null))
      .catch(() => undefined);
  }, []); // first load

  // PATCH /v1/users/:id; the service refuses self-demotion and self-disabling (409), shown as the error message.
  const patchUser = async (u: User, body: { role?: string; disabled?: boolean }) => {
    setSaving(u.id);
    try {
      const after = await api<User>('PATCH', `/v1/users/${encodeURIComponent(u.id)}`, body);
      setUsers((all) => (all ?? []).map((x) => (x.id === after.id ? after : x)));
      message.success(body.disabled ? tr(`User ${u.username} disabled`, `已停用用户 ${u.username}`) : tr(`Role of ${u.username} is now ${after.role}`, `${u.username} 的角色已改为 ${after.role}`));
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setSaving(null);
    }
  };

  const roles = [
    { value: 'viewer', label: tr('viewer — read only', 'viewer — 只读') },
    { value: 'reviewer', label: tr('reviewer — may label', 'reviewer — 可标注') },
    { value: 'analyst', label: tr('analyst — strategies and lists', 'analyst — 策略与名单') },
    { value: 'admin', label: tr('admin — everything', 'admin — 全部权限') },
  ];

  return (
    <div>
      <Typography.Title level={4} className="page-title">
        {tr('Settings', '设置')}
      </Typography.Title>
      <Card size="small" title={tr('API keys', 'API 密钥')} style={{ marginBottom: 12 }}>
        <Space style={{ marginBottom: 8 }}>
          <Input placeholder={tr('Name, e.g. core-banking', '名称，如 core-banking')} value={keyName} onChange={(e) => setKeyName(e.target.value)} data-testid="key-name" />
          <Button
            type="primary"
            disabled={!keyName.trim()}
            onClick={async () => {
              try {
                const r = await api<{ key: string }>('POST', '/v1/api-keys', { name: keyName.trim() });
                setCreated(r.key);
                setKeyName('');
                await loadKeys();
              } catch (e) {
                message.error((e as Error).message);
              }
            }}
            data-testid="key-create"
          >
            {tr('Create key', '创建密钥')}
          </Button>
        </Space>
        {created && (
          <Alert
            type="success"
            showIcon
            closable
            onClose={() => setCreated(null)}
            style={{ marginBottom: 8 }}
            message={tr('Copy this key now: it is shown only once.', '请立即复制该密钥：它只显示这一次。')}
            description={
              <Typography.Text copyable code data-testid="key-created">
                {created}
              </Typography.Text>
            }
          />
        )}
        <Table
          size="small"
          rowKey="id"
          loading={keys === null}
          dataSource={keys ?? []}
          pagination={false}
          columns={[
            { title: tr('Name', '名称'), dataIndex: 'name' },
            { title: tr('Prefix', '前缀'), dataIndex: 'prefix', render: (p: string) => <span className="mono">{p}…</span> },
            { title: tr('Created', '创建时间'), dataIndex: 'createdAt', render: (t: string) => new Date(t).toLocaleString() },
            { title: tr('Last used', '最近使用'), dataIndex: 'lastUsedAt', render: (t?: string) => (t ? new Date(t).toLocaleString() : '-') },
            {
              title: tr('Status', '状态'),
              render: (_: unknown, k: ApiKey) =>
                k.revokedAt ? (
                  <Tag>{tr('revoked', '已吊销')}</Tag>
                ) : (
                  <Space>
                    <Tag color="green">{tr('active', '有效')}</Tag>
                    <Button
                      size="small"
                      danger
                      onClick={() =>
                        modal.confirm({
                          title: tr(`Revoke key “${k.name}”?`, `吊销密钥「${k.name}」？`),
                          content: tr('Systems using it are refused at once.', '使用该密钥的系统将立即被拒绝。'),
                          okButtonProps: { danger: true },
                          okText: tr('OK', '确定'),
                          cancelText: tr('Cancel', '取消'),
                          onOk: () =>
                            api('DELETE', `/v1/api-keys/${encodeURIComponent(k.id)}`)
                              .then(loadKeys)
                              .catch((e) => message.error((e as Error).message)),
                        })
                      }
                    >
                      {tr('Revoke', '吊销')}
                    </Button>
                  </Space>
                ),
            },
          ]}
        />
      </Card>
      <Card size="small" title={tr('Users', '用户')} extra={<Button size="small" onClick={() => setNewUser(true)}>+ {tr('New user', '新建用户')}</Button>}>
        {usersError && <Alert type="warning" showIcon message={usersError} style={{ marginBottom: 8 }} />}
        <Table
          size="small"
          rowKey="id"
          loading={users === null}
          dataSource={users ?? []}
          pagination={false}
          columns={[
            { title: tr('Username', '用户名'), dataIndex: 'username' },
            {
              title: tr('Role', '角色'),
              dataIndex: 'role',
              render: (r: string, u: User) =>
                u.disabledAt || u.id === meId ? (
                  <Tag title={u.id === meId ? tr('You cannot change your own role', '不能修改自己的角色') : undefined}>{r}</Tag>
                ) : (
                  <Select
                    size="small"
                    value={r}
                    style={{ width: 230 }}
                    options={roles}
                    loading={saving === u.id}
                    disabled={saving === u.id}
                    onChange={(role) => void patchUser(u, { role })}
                    data-testid={`user-role-${u.username}`}
                  />
                ),
            },
            { title: tr('Created', '创建时间'), dataIndex: 'createdAt', render: (t?: string) => (t ? new Date(t).toLocaleString() : '-') },
            {
              title: tr('Status', '状态'),
              render: (_: unknown, u: User) =>
                u.disabledAt ? (
                  <Tag data-testid={`user-status-${u.username}`} title={new Date(u.disabledAt).toLocaleString()}>
                    {tr('disabled', '已停用')}
                  </Tag>
                ) : (
                  <Space>
                    <Tag color="green" data-testid={`user-status-${u.username}`}>
                      {u.id === meId ? tr('active (you)', '有效（本人）') : tr('active', '有效')}
                    </Tag>
                    {u.id !== meId && (
                      <Button
                        size="small"
                        danger
                        disabled={saving === u.id}
                        data-testid={`user-disable-${u.username}`}
                        onClick={() =>
                          modal.confirm({
                            title: tr(`Disable user “${u.username}”?`, `停用用户「${u.username}」？`),
                            content: tr('Their sessions end and they can no longer sign in. This cannot be undone.', '其会话将结束且无法再登录。此操作不可撤销。'),
                            okButtonProps: { danger: true, ...({ 'data-testid': 'user-disable-confirm' } as Record<string, string>) },
                            okText: tr('Disable', '停用'),
                            cancelText: tr('Cancel', '取消'),
                            onOk: () => patchUser(u, { disabled: true }),
                          })
                        }
                      >
                        {tr('Disable', '停用')}
                      </Button>
                    )}
                  </Space>
                ),
            },
          ]}
        />
      </Card>
      <Modal open={newUser} title={tr('New user', '新建用户')} onCancel={() => setNewUser(false)} onOk={() => userForm.submit()}>
        <Form
          form={userForm}
          layout="vertical"
          initialValues={{ role: 'analyst' }}
          onFinish={async (v) => {
            try {
              await api('POST', '/v1/users', v);
              setNewUser(false);
              userForm.resetFields();
              await loadUsers();
            } catch (e) {
              message.error((e as Error).message);
            }
          }}
        >
          <Form.Item name="username" label={tr('Username', '用户名')} rules={[{ required: true }]}>
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item name="password" label={tr('Password (at least 8 characters)', '密码（至少 8 位）')} rules={[{ required: true, min: 8 }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item name="role" label={tr('Role', '角色')}>
            <Select options={roles} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
