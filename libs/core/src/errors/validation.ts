import { ArgumentMetadata, HttpException, ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError, FieldError } from './domain-error';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    // A missing field is said to be required, not also every rule its absent value breaks.
    const constraints = e.constraints?.isDefined ? { isDefined: e.constraints.isDefined } : (e.constraints ?? {});
    const own = Object.values(constraints).map((reason) => ({ field, reason }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/**
 * A validator that throws on an odd value (class-validator's maxDecimalPlaces on 1e-300 reads
 * `undefined.length`) is the input's fault: a 400, never a 500.
 */
class SafeValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    try {
      return await super.transform(value, metadata);
    } catch (error) {
      if (error instanceof DomainError || error instanceof HttpException) throw error;
      throw DomainError.validation([{ field: metadata.data ?? metadata.type, reason: 'a value could not be validated' }]);
    }
  }
}

/** The global pipe: unknown fields refused, types transformed, every field error listed in `details`. */
export function createValidationPipe(): ValidationPipe {
  return new SafeValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => DomainError.validation(flatten(errors)),
  });
}
