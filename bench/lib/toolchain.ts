import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchDir } from './paths.ts';

export type Toolchain = { ok: true; node: string } | { ok: false; reason: string };

const nodeDir = join(benchDir, '.node');
const nodeBin = join(nodeDir, 'node_modules', '.bin', 'node');
const postgraphileDir = join(benchDir, 'postgraphile');

/**
 * PostGraphile v5 needs Node 22+ and stays out of the root package.json: Node comes from the npm
 * registry's `node` package into bench/.node, PostGraphile from bench/postgraphile/package.json
 * into its own node_modules. Both install once and are reused; failures become a reason to print.
 */
export function ensurePostgraphileToolchain(log: (line: string) => void): Toolchain {
  const node = ensureNode22(log);
  if (typeof node !== 'string') return node;
  const installed = join(postgraphileDir, 'node_modules', '.package-lock.json');
  const manifest = join(postgraphileDir, 'package.json');
  if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(manifest).mtimeMs) {
    log('Installing PostGraphile v5 into bench/postgraphile/node_modules (once)…');
    const result = npm(['install', '--no-audit', '--no-fund', '--loglevel=error'], postgraphileDir);
    if (result) return { ok: false, reason: `npm install in bench/postgraphile failed: ${result}` };
  }
  return { ok: true, node };
}

/** A Node that runs TypeScript itself (≥ 22.18): the runner's own when it is one, else bench/.node's. */
export function ensureNativeNode(log: (line: string) => void): Toolchain {
  const node = ensureNode22(log);
  return typeof node === 'string' ? { ok: true, node } : node;
}

// Every server asks; the answer (and an install) is worked out once per run.
let node22: string | { ok: false; reason: string } | undefined;
function ensureNode22(log: (line: string) => void): string | { ok: false; reason: string } {
  return (node22 ??= findOrInstallNode22(log));
}

function findOrInstallNode22(log: (line: string) => void): string | { ok: false; reason: string } {
  if (nodeVersionOk(process.execPath)) return process.execPath;
  if (!nodeVersionOk(nodeBin)) {
    log('Installing Node 22 from the npm registry (package `node@22`) into bench/.node (once)…');
    mkdirSync(nodeDir, { recursive: true });
    writeFileSync(join(nodeDir, 'package.json'), JSON.stringify({ private: true, allowScripts: { node: true } }, null, 2));
    const result = npm(['install', '--no-audit', '--no-fund', '--loglevel=error', 'node@22'], nodeDir);
    if (result) return { ok: false, reason: `npm install node@22 failed: ${result}` };
    if (!nodeVersionOk(nodeBin)) return { ok: false, reason: `${nodeBin} is not a working Node 22+ after install` };
  }
  return nodeBin;
}

/** Node 22+ with type stripping on by default (22.18+). */
function nodeVersionOk(bin: string): boolean {
  if (!existsSync(bin)) return false;
  const result = spawnSync(bin, ['-p', 'process.versions.node.split(".")[0] + " " + Boolean(process.features.typescript)'], { encoding: 'utf8' });
  const [major, strips] = result.stdout.trim().split(' ');
  return result.status === 0 && Number(major) >= 22 && strips === 'true';
}

/** Runs npm in `cwd`; returns the tail of its output on failure, undefined on success. */
function npm(args: string[], cwd: string): string | undefined {
  const result = spawnSync('npm', args, { cwd, encoding: 'utf8', timeout: 600_000 });
  if (result.status === 0) return undefined;
  return `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-5).join(' | ') || `exit ${result.status}`;
}
