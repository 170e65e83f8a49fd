import { createDb, loadGenerated } from '../../db/index.ts';
import { defineCommand } from '../command.ts';

export const storageGcCommand = defineCommand({
  path: ['storage:gc'],
  summary: 'Remove stored files no row holds (expired tickets, unattached uploads, orphaned objects)',
  description:
    'Reports, then removes: upload tickets past their deadline, uploads left unattached longer than CAIRN_UPLOAD_TTL,\n' +
    'StoredFile rows no file field references, and objects in storage without a row (older than CAIRN_UPLOAD_TTL,\n' +
    'so uploads in flight are left alone). --dry-run only reports. Storage is configured as for `cairn start`.',
  options: {
    'dry-run': { type: 'boolean', description: 'List what would be removed; remove nothing' },
  },
  async run({ config, io }, { options }) {
    const { createFileStorage, loadStorageConfig } = await import('../../storage/index.ts');
    const generated = await loadGenerated(config.generatedDir, config.provider);
    const db = createDb({ databaseUrl: config.databaseUrl, generated });
    try {
      const files = createFileStorage({ datamodel: generated.datamodel, db, config: loadStorageConfig(process.env) });
      if (!files) {
        io.out('The schema declares no @file field; nothing to collect.');
        return;
      }
      const dryRun = Boolean(options['dry-run']);
      const report = await files.collectGarbage({ full: true, dryRun });
      await files.close();
      for (const id of report.rows) io.out(`${dryRun ? 'would remove' : 'removed'} file ${id}`);
      for (const key of report.objects) io.out(`${dryRun ? 'would remove' : 'removed'} object ${key}`);
      io.out(`✔ ${report.rows.length} file(s) and ${report.objects.length} orphaned object(s) ${dryRun ? 'to remove' : 'removed'}.`);
    } finally {
      await db.$disconnect();
    }
  },
});
