export * from './plan.module';
export * from './plans.service';
export * from './holidays.service';
export * from './plans.repository';
export * from './plan-template';
export * from './deadline-rules';
export * from './dto/plan.dto';
