import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { DomainError, migrateDatabase, validateEnv } from '@app/core';
import { DemoSeedService, DemoSeedSummary } from './demo/demo-seed.service';
import { ReorgDemoService } from './demo/reorg-demo.service';
// Importing the module also loads .env into process.env (ConfigModule.forRoot), as in the API.
import { ToolsModule } from './tools.module';

const USAGE = `Usage: node dist/apps/tools/src/main.js <command>

Commands:
  migrate     apply pending database migrations, then exit
  seed-demo   apply migrations, run the first start (root unit, admin), then seed the
              Thái Bình demo: its units and one user per role (idempotent)
  seed-demo --reorg
              the same, then the 01/07/2025 merger of Thái Bình and Hưng Yên into the new
              Hưng Yên through the reorganisation services (needs ROOT_UNIT_TIER=central; idempotent)`;

/** Migrations on a plain connection, before any Nest start-up work that needs the tables. */
async function migrate(): Promise<void> {
  const count = await migrateDatabase(validateEnv(process.env).DATABASE_URL);
  console.log(count > 0 ? `Applied ${count} migration(s)` : 'The database schema is up to date');
}

async function seedDemo(): Promise<void> {
  await migrate();
  const app = await NestFactory.createApplicationContext(ToolsModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  try {
    printSummary(await app.get(DemoSeedService).run());
    if (process.argv.includes('--reorg')) {
      const r = await app.get(ReorgDemoService).run(validateEnv(process.env).ADMIN_EMAIL);
      console.log(
        `Reorganisation 01/07/2025: Hưng Yên units ${r.imported.created} created, ${r.imported.unchanged} unchanged; ` +
          `provinces merged ${r.provinceMerged ? 'now' : 'already'}; ${r.communesMerged} new communes merged, ` +
          `${r.districtsDissolved} districts dissolved, ${r.deadlinesSet} unit deadlines set`,
      );
    }
  } finally {
    await app.close();
  }
}

function printSummary(s: DemoSeedSummary): void {
  const lines = [
    `Demo seeded under the root ${s.root.name} (${s.root.code}, ${s.root.tier}): ${
      s.mode === 'central' ? 'Thái Bình province added under it' : 'Thái Bình units added directly under it'
    }`,
    `Units: ${s.units.created} created, ${s.units.updated} updated, ${s.units.unchanged} unchanged`,
    `Units under the root by tier: ${Object.entries(s.unitsByTier)
      .map(([tier, n]) => `${tier} ${n}`)
      .join(', ')}`,
    `Users (${s.users.filter((u) => u.created).length} created):`,
    ...s.users.map(
      (u) => `  ${u.role.padEnd(10)} ${u.email.padEnd(32)} ${u.password.padEnd(22)} ${u.unit}${u.created ? '' : ' (existed)'}`,
    ),
    s.plan.activated
      ? `Plan ${s.plan.code} created and activated: ${s.plan.activated.units} units, ${s.plan.activated.steps} steps`
      : `Plan ${s.plan.code} already exists`,
    s.provinceTransitions > 0
      ? `The province's personnel scheme (step 7) approved from above: ${s.provinceTransitions} transitions recorded`
      : "The province's own steps are already where the demo puts them",
  ];
  console.log(lines.join('\n'));
}

const COMMANDS: Record<string, () => Promise<void>> = { migrate, 'seed-demo': seedDemo };

async function main(): Promise<void> {
  const name = process.argv[2];
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    console.error(name && name !== 'help' && name !== '--help' ? `Unknown command "${name}"\n\n${USAGE}` : USAGE);
    process.exit(name === 'help' || name === '--help' ? 0 : 2);
  }
  await command();
}

main()
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    // Configuration errors name the variable; import errors list the rows. Print them plainly.
    console.error(error instanceof Error ? error.message : error);
    if (error instanceof DomainError && error.details !== undefined) console.error(JSON.stringify(error.details, null, 2));
    process.exit(1);
  });
