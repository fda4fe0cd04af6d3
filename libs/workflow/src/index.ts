export * from './workflow.module';
export * from './workflow.service';
export * from './transition-table';
export * from './transition-rules';
export * from './dto/workflow.dto';
