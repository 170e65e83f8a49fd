import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Datamodel } from './datamodel.ts';
import type { Provider } from './provider.ts';

/** A generated Prisma client class; model delegates are reached by name, so it is typed loosely. */
export type PrismaClientClass = new (options: { adapter: unknown; errorFormat?: 'minimal' | 'colorless' | 'pretty'; log?: unknown[] }) => DbClient;

/** The surface of a Prisma client Cairn relies on (model delegates are looked up by name). */
export interface DbClient {
  $connect(): Promise<void>;
  $disconnect(): Promise<void>;
  $on(event: 'query', listener: (event: { query: string; params: string; duration: number }) => void): void;
  $transaction<T>(fn: (tx: DbClient) => Promise<T>): Promise<T>;
  $queryRawUnsafe<T = unknown>(sql: string, ...values: unknown[]): Promise<T>;
  [model: string]: any;
}

/** What `cairn generate` produced for one provider. */
export interface Generated {
  provider: Provider;
  datamodel: Datamodel;
  PrismaClient: PrismaClientClass;
  /** `Prisma` namespace of the client (DbNull, Decimal, error classes). */
  Prisma: Record<string, any>;
  /** The provider-specific schema the client was generated from (input of schema push). */
  schemaPath: string;
}

/** Loads the client generated for `provider` under `generatedDir`, with a clear error when missing. */
export async function loadGenerated(generatedDir: string, provider: Provider): Promise<Generated> {
  const dir = join(generatedDir, provider);
  const datamodelPath = join(dir, 'datamodel.json');
  if (!existsSync(datamodelPath)) {
    throw new Error(
      `No ${provider} client in ${dir}. Run \`npx cairn generate\` (a schema that uses ${provider}-only features must declare provider = "${provider}").`,
    );
  }
  const client = await import(pathToFileURL(join(dir, 'client', 'client.ts')).href);
  return {
    provider,
    datamodel: JSON.parse(readFileSync(datamodelPath, 'utf8')) as Datamodel,
    PrismaClient: client.PrismaClient as PrismaClientClass,
    Prisma: client.Prisma,
    schemaPath: join(dir, 'schema.prisma'),
  };
}
