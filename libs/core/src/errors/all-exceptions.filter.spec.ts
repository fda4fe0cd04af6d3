import { Logger, NotFoundException } from '@nestjs/common';
import { toErrorBody } from './all-exceptions.filter';

/** The contract (API.md "Errors"): an unexpected failure is 500 `INTERNAL` with a correlation id and nothing internal. */
describe('toErrorBody', () => {
  const logger = new Logger('test');
  beforeAll(() => Logger.overrideLogger(false));

  it('maps an unknown error to 500 INTERNAL with a correlation id and no internal text', () => {
    const body = toErrorBody(new Error('relation "secret_table" does not exist'), logger);
    expect(body.statusCode).toBe(500);
    expect(body.code).toBe('INTERNAL');
    expect(JSON.stringify(body)).not.toContain('secret_table');
    expect((body.details as { correlationId: string }).correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('maps a value PostgreSQL refuses (SQLSTATE 22xxx) to 400 VALIDATION_FAILED', () => {
    const body = toErrorBody(Object.assign(new Error('out of range'), { driverError: { code: '22003' } }), logger);
    expect(body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
  });

  it('maps calendar_not_covered() (SQLSTATE VC001) to 409 CALENDAR_NOT_COVERED naming the missing year', () => {
    const body = toErrorBody(
      Object.assign(new Error('the holiday calendar does not cover 2027'), { driverError: { code: 'VC001', detail: '2027' } }),
      logger,
    );
    expect(body).toMatchObject({ statusCode: 409, code: 'CALENDAR_NOT_COVERED', details: { year: 2027 } });
    expect(body.message).toMatch(/^Lịch ngày nghỉ chưa có năm 2027/);
  });

  it('keeps the code of an HTTP exception', () => {
    expect(toErrorBody(new NotFoundException(), logger)).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
  });
});
