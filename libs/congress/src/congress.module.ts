import { Module } from '@nestjs/common';
import { CongressRepository } from './congress.repository';
import { CongressService } from './congress.service';

/** Congress records: the 4 contents and the election results. */
@Module({ providers: [CongressRepository, CongressService], exports: [CongressService] })
export class CongressModule {}
