import { Module } from '@nestjs/common';
import { OrgModule } from '@app/org';
import { CongressRepository } from './congress.repository';
import { CongressService } from './congress.service';

/** Congress records: the 4 contents and the election results. */
@Module({ imports: [OrgModule], providers: [CongressRepository, CongressService], exports: [CongressService] })
export class CongressModule {}
