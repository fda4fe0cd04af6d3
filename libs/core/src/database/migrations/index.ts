import { Foundation1764000000000 } from './1764000000000-Foundation';
import { CongressPlan1764000001000 } from './1764000001000-CongressPlan';
import { Notifications1764000002000 } from './1764000002000-Notifications';
import { ProgressCounters1764000003000 } from './1764000003000-ProgressCounters';
import { WebApp1764000004000 } from './1764000004000-WebApp';
import { MailDelivery1764000005000 } from './1764000005000-MailDelivery';
import { UnitLifecycle1764000007000 } from './1764000007000-UnitLifecycle';

/** Every migration, in order. Listed explicitly so the same array works from source and from dist. */
export const MIGRATIONS = [
  Foundation1764000000000,
  CongressPlan1764000001000,
  Notifications1764000002000,
  ProgressCounters1764000003000,
  WebApp1764000004000,
  MailDelivery1764000005000,
  UnitLifecycle1764000007000,
];
