import { appSchema } from './app-schema.ts';

export interface AppFilesOptions {
  /** The package name (the folder's name). */
  name: string;
  /** How package.json depends on Cairn, e.g. `file:../cairn`. */
  cairnDependency: string;
}

/** Every file `cairn init` writes, by path relative to the new app's folder. */
export function appFiles({ name, cairnDependency }: AppFilesOptions): Record<string, string> {
  const pkg = {
    name,
    version: '0.1.0',
    private: true,
    type: 'module',
    scripts: {
      dev: 'cairn dev',
      start: 'cairn start',
      generate: 'cairn generate',
      seed: 'cairn seed',
      'migrate:dev': 'cairn migrate dev',
      'migrate:deploy': 'cairn migrate deploy',
      rules: 'cairn rules',
      postinstall: 'cairn generate --if-missing',
    },
    dependencies: { cairn: cairnDependency },
  };
  return {
    'package.json': `${JSON.stringify(pkg, null, 2)}\n`,
    'prisma/schema.prisma': appSchema,
    'prisma/seed.ts': seed,
    'operations/README.md': operationsReadme,
    '.gitignore': 'node_modules/\ndata/\nsrc/generated/\noperations/generated/\n',
    'README.md': readme(name),
  };
}

const seed = `/**
 * Sample data: \`npx cairn seed\`. Cairn calls the default export with the app's Prisma client
 * (\`db\`, no access rules: a seed is trusted code), \`createUser\` for users who sign in with a
 * password (printed, so you can sign in as them) and \`log\`. In development the database is
 * brought in line with the schema first.
 */
import type { SeedContext } from 'cairn/src/cli/index.ts';

export default async function seed({ db, createUser, log }: SeedContext): Promise<void> {
  if ((await db.user.count()) > 0) return log('Database already has users; seed skipped.');
  // const ada = await createUser({ email: 'ada@example.com', roles: ['user', 'admin'], data: { name: 'Ada' } });
  // await db.note.create({ data: { title: 'Hello', published: true, ownerId: ada.id } });
  // log(\`Sign in as \${ada.email} / \${ada.password}\`);
  log('Nothing to seed yet: edit prisma/seed.ts.');
}
`;

const operationsReadme = `# Operations

The GraphQL queries and mutations your frontend sends, one or more per \`.graphql\` file. On every
\`npx cairn generate\` (and every save under \`npx cairn dev\`) Cairn checks them against the API and
types them into \`operations/generated/\` (graphql-codegen's client preset): \`graphql(...)\` there
returns a TypedDocumentNode that Apollo Client, urql and graphql-request infer types from.

\`\`\`graphql
query MyNotes {
  notes(orderBy: [{ createdAt: desc }]) { id title published }
}
\`\`\`

The API's SDL is \`src/generated/schema.graphql\`; a frontend in another repository can point its own
codegen at that file or at the running \`/graphql\` endpoint.
`;

const readme = (name: string) => `# ${name}

A Cairn app: \`prisma/schema.prisma\` in, a GraphQL API out.

| | |
|---|---|
| \`npm install\` | links Cairn and generates the clients |
| \`npx cairn dev\` | serves http://localhost:4000/graphql (GraphiQL in the browser), regenerating on every schema save |
| \`npx cairn seed\` | runs \`prisma/seed.ts\` |
| \`npx cairn migrate dev --name <change>\` | writes the SQLite and PostgreSQL migrations for a schema change (\`prisma/migrations/<provider>/\`) |
| \`npx cairn start\` | what production runs: applies the migrations for \`DATABASE_URL\`'s provider, then serves |
| \`npx cairn rules\` | who may do what |
`;
