import type { Shape } from '../shapes.ts';
import type { ServerName } from './args.ts';
import type { CellResult } from './load.ts';

export type Cell = { shape: string; server: ServerName } & ({ result: CellResult; mismatch?: string } | { na: string });

/** The issue's throughput targets: Cairn's share of raw-pg, and at least PostGraphile's. */
const rawTargets: Record<string, number> = { byId: 0.5, page: 0.5, nested: 0.6 };

export interface Ratio {
  shape: string;
  cairnOverRaw?: number;
  rawTarget?: number;
  cairnOverPostgraphile?: number;
  /** The same comparisons by server CPU per request (raw's CPU/req ÷ Cairn's): robust to a busy machine. */
  cpuCairnOverRaw?: number;
  cpuCairnOverPostgraphile?: number;
  cairnSqlPerRequest?: number;
  /** The anonymous Cairn against PostGraphile (req/s and CPU per request, as above). */
  anonOverPostgraphile?: number;
  cpuAnonOverPostgraphile?: number;
}

export function ratios(shapes: Shape[], cells: Cell[]): Ratio[] {
  const rps = (shape: string, server: ServerName) => {
    const cell = cells.find((c) => c.shape === shape && c.server === server);
    return cell && 'result' in cell ? cell.result : undefined;
  };
  return shapes.map((shape) => {
    const cairn = rps(shape.name, 'cairn');
    const raw = rps(shape.name, 'raw');
    const pgl = rps(shape.name, 'postgraphile');
    const anon = rps(shape.name, 'cairn-anon');
    return {
      shape: shape.name,
      cairnOverRaw: cairn && raw ? cairn.rps / raw.rps : undefined,
      rawTarget: rawTargets[shape.name],
      cairnOverPostgraphile: cairn && pgl ? cairn.rps / pgl.rps : undefined,
      cpuCairnOverRaw: cairn && raw ? raw.cpuMsPerRequest / cairn.cpuMsPerRequest : undefined,
      cpuCairnOverPostgraphile: cairn && pgl ? pgl.cpuMsPerRequest / cairn.cpuMsPerRequest : undefined,
      cairnSqlPerRequest: cairn?.sqlPerRequest,
      anonOverPostgraphile: anon && pgl ? anon.rps / pgl.rps : undefined,
      cpuAnonOverPostgraphile: anon && pgl ? pgl.cpuMsPerRequest / anon.cpuMsPerRequest : undefined,
    };
  });
}

const pad = (value: string, width: number, left = false) => (left ? value.padEnd(width) : value.padStart(width));
const fixed = (value: number | undefined, digits: number) => (value === undefined ? '—' : value.toFixed(digits));

/** The results as a plain-text table (shape × server) followed by the ratio table. */
export function formatTables(shapes: Shape[], servers: ServerName[], cells: Cell[], rows: Ratio[]): string {
  const lines: string[] = [];
  const header = ['shape', 'server', 'req/s', 'p50 ms', 'p99 ms', 'SQL/req', 'tx/req', 'CPU ms/req', 'RSS MB', 'fail'];
  const widths = [11, 13, 9, 8, 8, 8, 7, 11, 7, 5];
  const row = (values: string[]) => lines.push(values.map((v, i) => pad(v, widths[i]!, i < 2)).join(' '));
  row(header);
  lines.push('-'.repeat(widths.reduce((a, b) => a + b + 1, 0)));
  for (const shape of shapes) {
    servers.forEach((server, i) => {
      const cell = cells.find((c) => c.shape === shape.name && c.server === server);
      const name = i === 0 ? shape.name : '';
      if (!cell) return;
      if ('na' in cell) return row([name, server, 'n/a', '', '', '', '', '', '', '']);
      const r = cell.result;
      row([
        name, server, r.rps.toFixed(0), fixed(r.p50, 1), fixed(r.p99, 1), r.sqlPerRequest.toFixed(2), r.controlPerRequest.toFixed(2),
        r.cpuMsPerRequest.toFixed(2), r.peakRssMb.toFixed(0), String(r.failures),
      ]);
    });
  }
  const notes = cells.filter((c) => 'na' in c || c.mismatch);
  if (notes.length) {
    lines.push('');
    for (const c of notes) lines.push(`  ${c.shape}/${c.server}: ${'na' in c ? `n/a — ${c.na}` : `answer differs from raw: ${c.mismatch}`}`);
  }
  lines.push(
    '',
    'Ratios of req/s (and, as "cpu", of server CPU per request inverted: how Cairn would fare if the server were the only process on the machine);',
    'cairn is signed in (bearer session), anon is cairn-anon (no credentials)',
    `${pad('shape', 11, true)} ${pad('cairn/raw', 10)} ${pad('target', 12)} ${pad('cairn/pgl', 10)} ${pad('target', 7)} ${pad('cpu c/raw', 10)} ${pad('cpu c/pgl', 10)} ${pad('anon/pgl', 9)} ${pad('cpu a/pgl', 10)} ${pad('cairn SQL/req', 14)}`,
  );
  for (const r of rows) {
    const mark = (ok: boolean | undefined) => (ok === undefined ? '' : ok ? ' ok' : ' MISS');
    lines.push(
      [
        pad(r.shape, 11, true),
        pad(fixed(r.cairnOverRaw, 2), 10),
        pad(r.rawTarget ? `≥${r.rawTarget}${mark(r.cairnOverRaw === undefined ? undefined : r.cairnOverRaw >= r.rawTarget)}` : '', 12),
        pad(fixed(r.cairnOverPostgraphile, 2), 10),
        pad(r.cairnOverPostgraphile === undefined ? '' : `≥1${mark(r.cairnOverPostgraphile >= 1)}`, 7),
        pad(fixed(r.cpuCairnOverRaw, 2), 10),
        pad(fixed(r.cpuCairnOverPostgraphile, 2), 10),
        pad(r.anonOverPostgraphile === undefined ? '—' : `${r.anonOverPostgraphile.toFixed(2)}${mark(r.anonOverPostgraphile >= 1)}`, 9),
        pad(fixed(r.cpuAnonOverPostgraphile, 2), 10),
        pad(fixed(r.cairnSqlPerRequest, 2), 14),
      ].join(' '),
    );
  }
  return lines.join('\n');
}
