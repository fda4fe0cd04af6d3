import { Foundation1764000000000 } from './1764000000000-Foundation';
import { CongressPlan1764000001000 } from './1764000001000-CongressPlan';
import { Notifications1764000002000 } from './1764000002000-Notifications';
import { ProgressCounters1764000003000 } from './1764000003000-ProgressCounters';
import { WebApp1764000004000 } from './1764000004000-WebApp';
import { MailDelivery1764000005000 } from './1764000005000-MailDelivery';
import { PartyRules1764000006000 } from './1764000006000-PartyRules';
import { ExactMoves1764000006500 } from './1764000006500-ExactMoves';
import { UnitLifecycle1764000007000 } from './1764000007000-UnitLifecycle';
import { OrdinaryRolePerformance1764000008000 } from './1764000008000-OrdinaryRolePerformance';
import { Operations1764000009000 } from './1764000009000-Operations';
import { StepApplicability1764000011000 } from './1764000011000-StepApplicability';
import { CalendarDetails1764000012000 } from './1764000012000-CalendarDetails';
import { CountersPerUnitLookup1764000014000 } from './1764000014000-CountersPerUnitLookup';
import { SubtreeCounts1764000015000 } from './1764000015000-SubtreeCounts';
import { ActivationChecks1764000016000 } from './1764000016000-ActivationChecks';

/** Every migration, in order. Listed explicitly so the same array works from source and from dist. */
export const MIGRATIONS = [
  Foundation1764000000000,
  CongressPlan1764000001000,
  Notifications1764000002000,
  ProgressCounters1764000003000,
  WebApp1764000004000,
  MailDelivery1764000005000,
  PartyRules1764000006000,
  ExactMoves1764000006500,
  UnitLifecycle1764000007000,
  OrdinaryRolePerformance1764000008000,
  Operations1764000009000,
  StepApplicability1764000011000,
  CalendarDetails1764000012000,
  CountersPerUnitLookup1764000014000,
  SubtreeCounts1764000015000,
  ActivationChecks1764000016000,
];
