export * from './workflow.module';
export * from './workflow.service';
export * from './transition-table';
export * from './transition-rules';
export * from './dto/workflow.dto';
export * from './work.service';
export * from './dto/work.dto';
export * from './dto/children.dto';
