import { Alert } from 'antd';
import './admin.css';
import type { ReactNode } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { useMe } from '../auth/session';
import { A } from './words';

const LINKS = [
  { to: '/admin/import', label: A.importNav },
  { to: '/admin/users', label: A.usersNav },
  { to: '/admin/plans', label: A.plansNav },
  { to: '/admin/holidays', label: A.holidaysNav },
];

/** The links between the administration pages, the current one marked for screen readers too. */
export function AdminTabs() {
  const { pathname } = useLocation();
  return (
    <nav aria-label={A.adminNav} className="admin-tabs">
      {LINKS.map((l) => (
        <Link key={l.to} to={l.to} aria-current={pathname.startsWith(l.to) ? 'page' : undefined} className="admin-tab">
          {l.label}
        </Link>
      ))}
      <a href="/admin/queues" className="admin-tab">
        {A.queuesNav}
      </a>
    </nav>
  );
}

/** An administration page: its title, the links between the pages, and a plain refusal for non-admins. */
export function AdminPage({ title, children }: { title: string; children: ReactNode }) {
  const me = useMe();
  return (
    <>
      <h1 className="page-title">{title}</h1>
      <AdminTabs />
      {me.data && me.data.role !== 'admin' ? <Alert type="warning" showIcon title={A.adminOnly} /> : children}
    </>
  );
}
