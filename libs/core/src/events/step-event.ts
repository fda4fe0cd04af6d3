/**
 * The outbox contract between the step state machine (which writes outbox rows in the
 * transaction of a transition) and the notifications (the worker's relay reads them): the one
 * definition of the topics and of the payload.
 */
export const STEP_TOPICS = ['step.submitted', 'step.returned', 'step.approved'] as const;
export type StepTopic = (typeof STEP_TOPICS)[number];

/** The payload of an outbox row: ids only (handlers reload what they show), plus the note the actor wrote. */
export interface StepEventPayload {
  unitId: number;
  stepNo: number;
  action: string;
  fromStatus: string;
  toStatus: string;
  actorId: number;
  note: string | null;
  /** The step_events row of the transition. */
  eventId: number;
  /** When the transition happened (ISO timestamp). */
  at: string;
}

/** One outbox row as the relay reads it. */
export interface StepEvent {
  /** The outbox row id (bigint, as text). */
  outboxId: string;
  topic: StepTopic;
  payload: StepEventPayload;
}
