export * from './operations.repository';
export * from './operations.service';
export * from './operation.dto';
