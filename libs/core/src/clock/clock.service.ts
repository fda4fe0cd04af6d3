import { Injectable } from '@nestjs/common';

export const APP_TIME_ZONE = 'Asia/Ho_Chi_Minh';

/** The one source of "now" and "today" (a calendar day in Vietnam time), replaceable in tests. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }

  /** Today's date in Asia/Ho_Chi_Minh as YYYY-MM-DD. */
  today(): string {
    return toLocalDate(this.now());
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
/** The last answer per time zone, by minute: every request asks for today, and Intl formatting costs ~50 µs. */
const lastByZone = new Map<string, { minute: number; date: string }>();

export function toLocalDate(at: Date, timeZone = APP_TIME_ZONE): string {
  // A day starts on a whole minute in every time zone (offsets are multiples of 15 minutes).
  const minute = Math.floor(at.getTime() / 60_000);
  const last = lastByZone.get(timeZone);
  if (last && last.minute === minute) return last.date;
  // en-CA formats as YYYY-MM-DD. Building a formatter is costly: one per time zone, reused.
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, format);
  }
  const date = format.format(at);
  lastByZone.set(timeZone, { minute, date });
  return date;
}
