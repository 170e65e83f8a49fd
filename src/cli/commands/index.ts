import type { Command } from '../command.ts';
import { dbPushCommand } from './db-push.ts';
import { devCommand } from './dev.ts';
import { generateCommand } from './generate.ts';
import { initCommand } from './init.ts';
import { migrateDeployCommand } from './migrate-deploy.ts';
import { migrateDevCommand } from './migrate-dev.ts';
import { migrateResetCommand } from './migrate-reset.ts';
import { migrateResolveCommand } from './migrate-resolve.ts';
import { migrateStatusCommand } from './migrate-status.ts';
import { printSchemaCommand } from './print-schema.ts';
import { rulesCommand } from './rules.ts';
import { seedCommand } from './seed.ts';
import { startCommand } from './start.ts';
import { storageGcCommand } from './storage-gc.ts';
import { usersCreateCommand } from './users-create.ts';

/** Every `cairn` command, in the order `cairn --help` lists them. */
export const commands: Command[] = [
  initCommand,
  startCommand,
  devCommand,
  generateCommand,
  printSchemaCommand,
  dbPushCommand,
  migrateDevCommand,
  migrateDeployCommand,
  migrateStatusCommand,
  migrateResolveCommand,
  migrateResetCommand,
  seedCommand,
  usersCreateCommand,
  rulesCommand,
  storageGcCommand,
];
