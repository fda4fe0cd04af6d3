import { Module } from '@nestjs/common';
import { UnitImportRepository } from './import/unit-import.repository';
import { UnitImportService } from './import/unit-import.service';
import { ReorgRepository } from './reorg.repository';
import { ReorgService } from './reorg.service';
import { UnitHooks } from './unit-hooks';
import { UnitsRepository } from './units.repository';
import { UnitsService } from './units.service';

/** The Party organisation tree: units, their subtree key, import. */
@Module({
  providers: [UnitsRepository, UnitImportRepository, UnitsService, UnitImportService, UnitHooks, ReorgRepository, ReorgService],
  exports: [UnitsRepository, UnitsService, UnitImportService, UnitHooks, ReorgService],
})
export class OrgModule {}
