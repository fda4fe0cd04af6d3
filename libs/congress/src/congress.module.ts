import { Module } from '@nestjs/common';
import { CongressService } from './congress.service';

/** Congress records: the 4 contents and the election results. */
@Module({ providers: [CongressService], exports: [CongressService] })
export class CongressModule {}
