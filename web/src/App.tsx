// The shell: sign-in gate, side menu, language switch, and the lazily loaded pages (each page is its own chunk,
// so the first load fetches only the shell and the page shown).
import { lazy, Suspense, useEffect, useState } from 'react';
import { App as AntApp, ConfigProvider, Layout, Menu, Segmented, Spin, Button, Space, Typography } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { useI18n } from './i18n.js';
import { getToken, onUnauthorized, setToken, api } from './api.js';
import { navigate, useRoute } from './route.js';
import { Login } from './pages/Login.js';
import { ErrorBoundary } from './components/ErrorBoundary.js';
import { ApartmentOutlined, DashboardOutlined, DeploymentUnitOutlined, ExperimentOutlined, FileSearchOutlined, SafetyCertificateOutlined, SettingOutlined } from '@ant-design/icons';

const Dashboard = lazy(() => import('./pages/Dashboard.js'));
const Strategies = lazy(() => import('./pages/Strategies.js'));
const StrategyEditor = lazy(() => import('./editor/StrategyEditor.js'));
const Decisions = lazy(() => import('./pages/Decisions.js'));
const Lists = lazy(() => import('./pages/Lists.js'));
const Settings = lazy(() => import('./pages/Settings.js'));
const GraphPage = lazy(() => import('./pages/Graph.js'));
const Models = lazy(() => import('./pages/Models.js'));

export function App() {
  const { lang, setLang, tr } = useI18n();
  const [signedIn, setSignedIn] = useState(() => !!getToken());
  const route = useRoute();
  useEffect(() => onUnauthorized(() => setSignedIn(false)), []);

  const page = route[0] ?? 'dashboard';
  // The editor needs the width: the menu folds to icons there.
  const inEditor = page === 'strategies' && !!route[1];
  let body;
  if (page === 'strategies' && route[1]) body = <StrategyEditor key={route[1]} strategyId={route[1]} />;
  else if (page === 'strategies') body = <Strategies />;
  else if (page === 'decisions') body = <Decisions eventId={route[1]} />;
  else if (page === 'lists') body = <Lists />;
  else if (page === 'models') body = <Models modelId={route[1]} version={route[2]} />;
  else if (page === 'graph') body = <GraphPage tab="explorer" subjectId={route[1]} />;
  else if (page === 'rings') body = <GraphPage tab="rings" />;
  else if (page === 'settings') body = <Settings />;
  else body = <Dashboard />;

  const langSwitch = (
    <Segmented
      size="small"
      value={lang}
      onChange={(v) => setLang(v as 'en' | 'zh-CN')}
      options={[
        { label: '中文', value: 'zh-CN' },
        { label: 'EN', value: 'en' },
      ]}
      data-testid="lang-switch"
    />
  );

  return (
    <ConfigProvider locale={lang === 'zh-CN' ? zhCN : enUS} theme={{ token: { borderRadius: 4 } }}>
      <AntApp>
        {!signedIn ? (
          <Login onSignedIn={() => setSignedIn(true)} langSwitch={langSwitch} />
        ) : (
          <Layout style={{ minHeight: '100vh' }}>
            <Layout.Sider width={200} theme="dark" collapsed={inEditor} collapsedWidth={56}>
              <div className="brand">
                <span className="brand-mark">獬豸</span> {!inEditor && <span className="brand-name">Xiezhi</span>}
              </div>
              <Menu
                theme="dark"
                mode="inline"
                selectedKeys={[page === 'rings' ? 'graph' : page]}
                onClick={(e) => navigate('/' + e.key)}
                items={[
                  { key: 'dashboard', icon: <DashboardOutlined />, label: tr('Dashboard', '仪表盘') },
                  { key: 'strategies', icon: <DeploymentUnitOutlined />, label: tr('Strategies', '策略') },
                  { key: 'decisions', icon: <FileSearchOutlined />, label: tr('Decisions', '决策记录') },
                  { key: 'graph', icon: <ApartmentOutlined />, label: <span data-testid="menu-graph">{tr('Link graph', '关联图谱')}</span> },
                  { key: 'lists', icon: <SafetyCertificateOutlined />, label: tr('Name lists', '名单管理') },
                  { key: 'models', icon: <ExperimentOutlined />, label: <span data-testid="menu-models">{tr('Models', '模型')}</span> },
                  { key: 'settings', icon: <SettingOutlined />, label: tr('Settings', '设置') },
                ]}
              />
            </Layout.Sider>
            <Layout>
              <Layout.Header className="topbar">
                <Typography.Text type="secondary">{tr('Intelligent risk control', '智能风控')}</Typography.Text>
                <Space>
                  {langSwitch}
                  <Button
                    size="small"
                    onClick={async () => {
                      await api('POST', '/v1/auth/logout').catch(() => undefined);
                      setToken(null);
                      setSignedIn(false);
                    }}
                  >
                    {tr('Sign out', '退出')}
                  </Button>
                </Space>
              </Layout.Header>
              <Layout.Content className={inEditor ? 'content content-full' : 'content'}>
                <ErrorBoundary key={route.join('/')} title={tr('This page failed', '页面出错')} retry={tr('Retry', '重试')}>
                  <Suspense fallback={<Spin style={{ margin: 48 }} />}>{body}</Suspense>
                </ErrorBoundary>
              </Layout.Content>
            </Layout>
          </Layout>
        )}
      </AntApp>
    </ConfigProvider>
  );
}
