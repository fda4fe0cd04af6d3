import { lazy, Suspense } from 'react';
import { PageSpinner } from '../components/PageSpinner';
import { createBrowserRouter } from 'react-router-dom';
import { NAV } from '../lib/vi';
import { AppLayout } from './AppLayout';

// Every page is its own chunk: the first load carries the layout only.
const LoginPage = lazy(() => import('../features/auth/LoginPage'));
const WorkPage = lazy(() => import('../features/work/WorkPage'));
const UnitPage = lazy(() => import('../features/units/UnitPage'));
const ApprovalsPage = lazy(() => import('../features/approvals/ApprovalsPage'));
const DashboardPage = lazy(() => import('../features/dashboard/DashboardPage'));
const ReportsPage = lazy(() => import('../features/reports/ReportsPages'));
const Placeholder = lazy(() => import('../components/Placeholder'));
const ImportPage = lazy(() => import('../features/admin/ImportPage'));
const UsersPage = lazy(() => import('../features/admin/UsersPage'));
const PlanRoute = lazy(() => import('../features/admin/PlanPage'));
const HolidaysPage = lazy(() => import('../features/admin/HolidaysPage'));
const NotificationsPage = lazy(() => import('../features/notifications/NotificationsPage'));
const NotFound = lazy(() => import('../components/NotFound'));

export const router = createBrowserRouter([
  {
    path: '/login',
    element: (
      <Suspense fallback={<PageSpinner />}>
        <LoginPage />
      </Suspense>
    ),
  },
  {
    element: <AppLayout />,
    children: [
      { index: true, element: <WorkPage /> },
      { path: 'units/:id', element: <UnitPage /> },
      { path: 'approvals', element: <ApprovalsPage /> },
      { path: 'dashboard', element: <DashboardPage /> },
      { path: 'reports/*', element: <ReportsPage /> },
      { path: 'notifications', element: <NotificationsPage /> },
      { path: 'admin/import', element: <ImportPage /> },
      { path: 'admin/users', element: <UsersPage /> },
      { path: 'admin/plans', element: <PlanRoute /> },
      { path: 'admin/plans/:id', element: <PlanRoute /> },
      { path: 'admin/holidays', element: <HolidaysPage /> },
      { path: 'admin/*', element: <Placeholder title={NAV.admin} adminTools /> },
      { path: '*', element: <NotFound /> },
    ],
  },
]);
