export * from './congress.module';
export * from './congress.service';
export * from './dto/congress.dto';
export * from './contents';
