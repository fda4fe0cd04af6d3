/** The shapes the pages use, all from the generated OpenAPI schema: a changed API breaks the build. */
import type { Schemas } from './client';

export interface Page<T> {
  items: T[];
  total: number;
}

export type Me = Schemas['MeDto'];
export type WorkStep = Schemas['WorkStepDto'];
export type WorkItem = Schemas['WorkItemDto'];
export type WorkPage = Schemas['WorkPageDto'];
export type ApprovalItem = Schemas['ApprovalItemDto'];
export type ChildUnit = Schemas['ChildUnitDto'];
export type BulkResult = Schemas['BulkResultDto'];
export type BulkRequest = Schemas['BulkActionDto'];
export type SearchUnit = Schemas['UnitDto'];
