import {
  AuditOutlined,
  BarChartOutlined,
  CheckSquareOutlined,
  DashboardOutlined,
  LogoutOutlined,
  MailOutlined,
  MenuOutlined,
  SettingOutlined,
} from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Badge, Button, Drawer, Grid, Layout, Menu, Typography } from 'antd';
import { Suspense, useEffect, useState } from 'react';
import { Link, Navigate, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageSpinner } from '../components/PageSpinner';
import { useApprovalsCount } from '../features/approvals/api';
import { useLogout, useMe } from '../features/auth/session';
import { UnitSearch } from '../features/units/UnitSearch';
import { loginPath, setUnauthenticatedHandler } from '../lib/api/client';
import { ApiError } from '../lib/errors';
import { NAV, ROLE, T } from '../lib/vi';
import './app.css';

const { Header, Sider, Content } = Layout;

function selectedKey(pathname: string): string {
  if (pathname.startsWith('/approvals')) return '/approvals';
  if (pathname.startsWith('/dashboard')) return '/dashboard';
  if (pathname.startsWith('/reports')) return '/reports/contents';
  if (pathname.startsWith('/notifications')) return '/notifications';
  if (pathname.startsWith('/admin')) return '/admin/users';
  return '/';
}

/** The frame of every signed-in page: navigation, unit search, the person and Đăng xuất. */
export function AppLayout() {
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const screens = Grid.useBreakpoint();
  const desktop = screens.lg ?? true;
  const [drawer, setDrawer] = useState(false);
  const me = useMe();
  const canApprove = me.data?.role === 'supervisor' || me.data?.role === 'admin';
  const approvals = useApprovalsCount(!!me.data && canApprove);
  const logout = useLogout();
  const here = `${location.pathname}${location.search}`;

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      const current = `${window.location.pathname}${window.location.search}`;
      queryClient.clear();
      navigate(loginPath(current), { replace: true });
    });
    return () => setUnauthenticatedHandler(null);
  }, [navigate, queryClient]);

  useEffect(() => setDrawer(false), [location.pathname]);

  if (me.error instanceof ApiError && me.error.code === 'UNAUTHENTICATED') return <Navigate to={loginPath(here)} replace />;

  const items = [
    { key: '/', icon: <CheckSquareOutlined />, label: <Link to="/">{NAV.work}</Link> },
    {
      key: '/approvals',
      icon: <AuditOutlined />,
      label: (
        <Link to="/approvals" className="nav-approvals">
          {NAV.approvals}
          {canApprove && (approvals.data ?? 0) > 0 && (
            <Badge count={approvals.data} overflowCount={999} className="nav-badge" aria-label={T.approvalsBadge(approvals.data ?? 0)} />
          )}
        </Link>
      ),
    },
    { key: '/dashboard', icon: <DashboardOutlined />, label: <Link to="/dashboard">{NAV.dashboard}</Link> },
    { key: '/reports/contents', icon: <BarChartOutlined />, label: <Link to="/reports/contents">{NAV.reports}</Link> },
    // The log of the caller's subtree: every role may read it (GET /api/notifications); resending is for admins.
    { key: '/notifications', icon: <MailOutlined />, label: <Link to="/notifications">{NAV.notifications}</Link> },
    { key: '/admin/users', icon: <SettingOutlined />, label: <Link to="/admin/users">{NAV.admin}</Link> },
  ];
  const menu = (
    <nav aria-label={T.mainNav}>
      <Menu mode="inline" selectedKeys={[selectedKey(location.pathname)]} items={items} className="side-menu" />
    </nav>
  );

  return (
    <Layout className="app-shell">
      {desktop ? (
        <Sider width={232} theme="light" className="app-sider">
          <Link to="/" className="brand">
            {T.appShort}
          </Link>
          {menu}
        </Sider>
      ) : (
        <Drawer
          open={drawer}
          onClose={() => setDrawer(false)}
          placement="left"
          size={260}
          title={T.appShort}
          closable={{ 'aria-label': T.close }}
        >
          {menu}
        </Drawer>
      )}
      <Layout>
        <Header className="app-header">
          {!desktop && <Button type="text" icon={<MenuOutlined />} aria-label={T.menu} onClick={() => setDrawer(true)} />}
          <UnitSearch />
          <div className="header-user">
            {me.data && desktop && (
              <Typography.Text className="user-name">
                {me.data.name} · {ROLE[me.data.role]}
                {me.data.unit ? ` · ${me.data.unit.name}` : ''}
              </Typography.Text>
            )}
            <Button
              icon={<LogoutOutlined />}
              aria-label={desktop ? undefined : T.logout}
              onClick={async () => {
                await logout();
                navigate('/login', { replace: true });
              }}
            >
              {desktop ? T.logout : null}
            </Button>
          </div>
        </Header>
        <Content className="app-content">
          {me.error && !(me.error instanceof ApiError && me.error.code === 'UNAUTHENTICATED') ? (
            <ErrorAlert error={me.error} onRetry={() => me.refetch()} />
          ) : me.data ? (
            <Suspense fallback={<PageSpinner />}>
              <Outlet />
            </Suspense>
          ) : (
            <PageSpinner />
          )}
        </Content>
      </Layout>
    </Layout>
  );
}
