import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Tier } from '@app/core';

@Entity('units')
export class Unit {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  tier: Tier;

  @Column({ type: 'integer', nullable: true })
  parentId: number | null;

  /** Materialized path of ids, "1/23/456/": the subtree key. */
  @Column({ type: 'text' })
  path: string;

  @Column({ type: 'smallint' })
  depth: number;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  contactEmails: string[];

  @Column({ type: 'date', nullable: true })
  congressDate: string | null;

  @Column({ type: 'integer', nullable: true })
  mergedIntoId: number | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
