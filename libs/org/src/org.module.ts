import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UnitImportService } from './import/unit-import.service';
import { Unit } from './unit.entity';
import { UnitHooks } from './unit-hooks';
import { UnitsRepository } from './units.repository';
import { UnitsService } from './units.service';

/** The Party organisation tree: units, their subtree key, import. */
@Module({
  imports: [TypeOrmModule.forFeature([Unit])],
  providers: [UnitsRepository, UnitsService, UnitImportService, UnitHooks],
  exports: [UnitsRepository, UnitsService, UnitImportService, UnitHooks],
})
export class OrgModule {}
