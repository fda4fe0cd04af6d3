export * from './org.module';
export * from './units.repository';
export * from './units.service';
export * from './unit-hooks';
export * from './dto/unit.dto';
export * from './import/unit-import.service';
export * from './import/unit-import.parsers';
