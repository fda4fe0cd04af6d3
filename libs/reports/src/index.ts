export * from './reports.module';
export * from './reports.service';
export * from './progress.service';
export * from './dto/reports.dto';
export * from './labels';
