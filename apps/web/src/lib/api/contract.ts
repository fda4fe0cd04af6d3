/** Shapes of the web endpoints from WEB-CONTRACT.md (the generated schema takes over as they land). */
import type { StepAction, StepStatus, Tier } from '../vi';

export interface Page<T> {
  items: T[];
  total: number;
}

export interface Me {
  id: number;
  email: string;
  name: string;
  role: 'viewer' | 'editor' | 'supervisor' | 'admin';
  unitId: number;
  unit?: { id: number; code: string; name: string; tier: Tier };
}

export interface WorkStep {
  no: number;
  code: string;
  title: string;
  status: StepStatus;
  dueDate: string | null;
  daysOverdue: number;
  daysLeft: number | null;
  reason: 'overdue' | 'due_soon' | 'returned' | 'awaiting_approval';
  version: number;
}

export interface WorkItem {
  unitId: number;
  code: string;
  name: string;
  tier: Tier;
  parentId: number | null;
  parentName: string | null;
  urgency: 'overdue' | 'returned' | 'approval' | 'due_soon';
  steps: WorkStep[];
}

export interface WorkPage extends Page<WorkItem> {
  counts?: { overdue: number; dueSoon: number; returned: number; awaitingApproval: number };
}

export interface ApprovalItem {
  unitId: number;
  code: string;
  name: string;
  tier: Tier;
  parentName: string | null;
  stepNo: number;
  stepCode: string;
  stepTitle: string;
  submittedAt: string | null;
  submittedBy: { id: number; name: string; email: string } | null;
  note: string | null;
  documentRef: string | null;
  version: number;
  dueDate: string | null;
}

export interface ChildUnit {
  id: number;
  code: string;
  name: string;
  tier: Tier;
  childrenCount: number;
  progress: { completed: number; total: number; overdue: number };
  step: { no: number; status: StepStatus; version: number; dueDate: string | null; overdue: boolean } | null;
}

export interface BulkResult {
  unitId: number;
  stepNo: number;
  ok: boolean;
  code?: string;
  message?: string;
}

export interface BulkRequest {
  action: StepAction;
  items: { unitId: number; stepNo: number; expectedVersion: number }[];
  note?: string;
  documentRef?: string;
}

export interface SearchUnit {
  id: number;
  code: string;
  name: string;
  tier: Tier;
  parentName?: string | null;
}
