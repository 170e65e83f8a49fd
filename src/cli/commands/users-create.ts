import { createDb, loadGenerated } from '../../db/index.ts';
import { defineCommand } from '../command.ts';
import { UsageError } from '../parse-args.ts';

export const usersCreateCommand = defineCommand({
  path: ['users:create'],
  summary: 'Create a user who signs in with a password (--admin adds the admin role)',
  description:
    'Same rules as signUp (normalised e-mail, 8+ characters, not a common password); the address counts as verified.\n' +
    'The password can come from CAIRN_USER_PASSWORD instead of --password, which would end up in shell history.\n' +
    'The database needs the schema already: `cairn db push` or `cairn migrate deploy`.',
  options: {
    email: { type: 'string', description: 'The e-mail address', valueName: '<email>' },
    password: { type: 'string', description: 'The password (or set CAIRN_USER_PASSWORD)', valueName: '<password>' },
    admin: { type: 'boolean', description: 'Give the user the admin role besides user' },
  },
  async run({ config, io }, { options }) {
    if (!options.email) throw new UsageError('--email is required: --email <email>.');
    const password = options.password ?? process.env.CAIRN_USER_PASSWORD;
    if (!password) throw new UsageError('--password is required (or set CAIRN_USER_PASSWORD).');
    // Loaded on use: `cairn --help` should not pay for argon2 and the auth module.
    const { createPasswordUser } = await import('../../auth/index.ts');
    const generated = await loadGenerated(config.generatedDir, config.provider);
    const db = createDb({ databaseUrl: config.databaseUrl, generated });
    try {
      const roles = options.admin ? ['user', 'admin'] : ['user'];
      const user = await createPasswordUser({ db, datamodel: generated.datamodel, email: options.email, password, roles });
      io.out(`✔ Created user ${user.id} <${user.email}> with roles ${user.roles}.`);
    } catch (error) {
      if ((error as { code?: string }).code === 'P2021') {
        throw new Error('The database has no User table yet; run `cairn db push` or `cairn migrate deploy` first.');
      }
      throw error;
    } finally {
      await db.$disconnect();
    }
  },
});
