#!/usr/bin/env node
// Report of the TPC-H harness (benchmarks/tpch/run.sh):
//
//   node report.mjs --run DIR --engines duckdb,grizzly-interpret,... --sf X --threads N
//                   --runs R --timeout SEC --out PATH_WITHOUT_EXTENSION
//
// Reads DIR/<engine>.tsv (the runners' lines), DIR/<engine>.version and the
// answers DIR/results/<engine>/qNN.csv, compares every engine's answers with
// DuckDB's, and writes PATH.md (tables of seconds and ratios to DuckDB, geometric
// means, differences) and PATH.png (bar chart of the ratios, drawn by gnuplot).
// Prints the list of differences.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, basename } from 'node:path';
import { execSync, execFileSync } from 'node:child_process';

const args = {};
for (let i = 2; i + 1 < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
const engines = args.engines.split(',').filter(Boolean);
const QUERIES = Array.from({ length: 22 }, (_, i) => `q${String(i + 1).padStart(2, '0')}`);
const BASE = 'duckdb';
const hasBase = engines.includes(BASE);

const LABELS = {
  duckdb: 'DuckDB',
  'grizzly-interpret': 'Grizzly interpret',
  'grizzly-jit': 'Grizzly jit',
  'grizzly-adaptive': 'Grizzly adaptive',
  'grizzly-adaptive-1t': 'Grizzly adaptive, 1 thread',
  'duckdb-1t': 'DuckDB, 1 thread',
  sqlite: 'SQLite',
  postgres: 'PostgreSQL',
  'postgres-jit': 'PostgreSQL JIT',
};
const label = (engine) => LABELS[engine] ?? engine;

// --- Runner output ---------------------------------------------------------------

function readTsv(engine) {
  const file = join(args.run, `${engine}.tsv`);
  const result = { load: null, queries: {} };
  if (!existsSync(file)) return result;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const f = line.split('\t');
    if (f[0] === '#load' && result.load === null) result.load = Number(f[1]);
    else if (/^q\d\d$/.test(f[0])) {
      result.queries[f[0]] = { cold: Number(f[1]), warm: Number(f[2]), rows: Number(f[3]), status: f.slice(4).join(' ') };
    }
  }
  return result;
}
const data = Object.fromEntries(engines.map((e) => [e, readTsv(e)]));
const version = (e) => {
  const file = join(args.run, `${e}.version`);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : label(e);
};
const entry = (e, q) => data[e].queries[q] ?? { status: 'not run' };
const ok = (e, q) => entry(e, q).status === 'ok';

// --- Answer comparison (../shared/tpch/README.md, "Comparing results") -----------

// CSV as written by the engines: fields quoted only when needed, "" inside quotes.
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; ++i) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; ++i; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; }
    else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

// Strings exact after trimming trailing blanks (CHAR padding); numbers within
// 0.01; NULL (empty) only equal to NULL. Returns the first difference or null.
function compareAnswers(expected, actual) {
  if (!actual.length && expected.length) actual = [expected[0]];  // SQLite writes no header for no rows
  if (expected.length !== actual.length) return `${actual.length - 1} rows, DuckDB ${expected.length - 1}`;
  for (let r = 1; r < expected.length; ++r) {  // row 0 is the header: names may differ
    if (expected[r].length !== actual[r].length) return `row ${r}: ${actual[r].length} columns, DuckDB ${expected[r].length}`;
    for (let c = 0; c < expected[r].length; ++c) {
      const a = actual[r][c].trimEnd(), b = expected[r][c].trimEnd();
      if (a === b) continue;
      if (NUMBER.test(a) && NUMBER.test(b) && Math.abs(Number(a) - Number(b)) <= 0.01) continue;
      return `row ${r}, column ${expected[0][c] ?? c + 1}: ${a === '' ? 'NULL' : a}, DuckDB ${b === '' ? 'NULL' : b}`;
    }
  }
  return null;
}

const answerFile = (e, q) => join(args.run, 'results', e, `${q}.csv`);
const differences = [];  // { engine, query, text }
const differs = {};      // engine -> Set of queries
for (const e of engines) {
  differs[e] = new Set();
  if (e === BASE || !hasBase) continue;
  for (const q of QUERIES) {
    if (!ok(e, q) || !ok(BASE, q)) continue;
    let text = null;
    if (existsSync(answerFile(e, q)) && existsSync(answerFile(BASE, q))) {
      text = compareAnswers(parseCsv(readFileSync(answerFile(BASE, q), 'utf8')),
                            parseCsv(readFileSync(answerFile(e, q), 'utf8')));
    } else if (entry(e, q).rows !== entry(BASE, q).rows) {
      text = `${entry(e, q).rows} rows, DuckDB ${entry(BASE, q).rows} (answer file missing)`;
    }
    if (text) { differences.push({ engine: e, query: q, text }); differs[e].add(q); }
  }
}

// --- Figures -------------------------------------------------------------------

const geomean = (xs) => (xs.length ? Math.exp(xs.reduce((s, x) => s + Math.log(Math.max(x, 1e-6)), 0) / xs.length) : NaN);
// Geometric means over the queries every engine finished, so they compare like with like.
const common = QUERIES.filter((q) => engines.every((e) => ok(e, q)));
const fmtSec = (s) => (s >= 100 ? s.toFixed(0) : s >= 10 ? s.toFixed(1) : s >= 1 ? s.toFixed(2) : s >= 0.01 ? s.toFixed(3) : s.toFixed(4));
const fmtRatio = (r) => (r >= 10 ? r.toFixed(0) : r.toFixed(2));

const errors = [];  // footnotes for failed queries
function cell(e, q, kind) {
  const x = entry(e, q);
  if (x.status === 'timeout') return `timeout (> ${args.timeout} s)`;
  if (x.status !== 'ok') {
    errors.push(`${label(e)} ${q}: ${x.status}`);
    return x.status === 'not run' ? 'not run' : `error [${errors.length}]`;
  }
  let text = fmtSec(x[kind]);
  if (hasBase && e !== BASE && ok(BASE, q)) text += ` (${fmtRatio(x[kind] / entry(BASE, q)[kind])}×)`;
  if (differs[e].has(q)) text += ' †';
  return text;
}

function geomeanRow(kind) {
  const cells = engines.map((e) => {
    const g = geomean(common.map((q) => entry(e, q)[kind]));
    if (Number.isNaN(g)) return '–';
    let text = `**${fmtSec(g)}**`;
    if (hasBase && e !== BASE) text += ` (**${fmtRatio(g / geomean(common.map((q) => entry(BASE, q)[kind])))}×**)`;
    return text;
  });
  const pairwise = engines.map((e) => {
    // Each engine against DuckDB on the queries both finished: the fairest ratio
    // when another engine's timeouts shrink the common set.
    const both = QUERIES.filter((q) => ok(e, q) && ok(BASE, q));
    if (!hasBase || e === BASE || !both.length) return '';
    const g = geomean(both.map((q) => entry(e, q)[kind])) / geomean(both.map((q) => entry(BASE, q)[kind]));
    return `**${fmtRatio(g)}×** (${both.length} q)`;
  });
  const rows = [`| geomean (${common.length} q) | ${cells.join(' | ')} |`];
  if (hasBase && common.length < 22) rows.push(`| ratio, each with DuckDB | ${pairwise.join(' | ')} |`);
  return rows.join('\n');
}

function table(kind) {
  const lines = [`| Query | ${engines.map(label).join(' | ')} |`, `|---|${engines.map(() => '---:').join('|')}|`];
  for (const q of QUERIES) lines.push(`| ${q} | ${engines.map((e) => cell(e, q, kind)).join(' | ')} |`);
  lines.push(geomeanRow(kind));
  return lines.join('\n');
}

// Where Grizzly trails DuckDB most: per query the best Grizzly mode's warm ratio.
const grizzlyModes = engines.filter((e) => e.startsWith('grizzly-') && !e.endsWith('-1t'));
const slowest = hasBase && grizzlyModes.length
  ? QUERIES.filter((q) => ok(BASE, q) && grizzlyModes.some((e) => ok(e, q) || entry(e, q).status === 'timeout'))
      .map((q) => {
        const ratios = grizzlyModes.map((e) => (ok(e, q) ? entry(e, q).warm : Number(args.timeout)) / entry(BASE, q).warm);
        const best = Math.min(...ratios);
        return { q, best, mode: grizzlyModes[ratios.indexOf(best)] };
      })
      .sort((a, b) => b.best - a.best)
  : [];

// --- Machine -----------------------------------------------------------------------

const sh = (cmd) => { try { return execSync(cmd, { encoding: 'utf8' }).trim(); } catch { return 'unknown'; } };
const cpu = sh("lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1");
const cores = sh('nproc');
const memory = sh("awk '/MemTotal/ { printf \"%.0f GiB\", $2 / 1048576 }' /proc/meminfo");
const now = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');

// --- Markdown ------------------------------------------------------------------------

const md = [];
md.push(`# TPC-H SF ${args.sf}, ${args.threads} thread${args.threads === '1' ? '' : 's'}`, '');
// The --engines option as given: engine ids without their mode suffix.
const selected = [...new Set(engines.map((e) => e.replace(/-.*$/, '')))];
const enginesOption = selected.length < 4 ? ` --engines ${selected.join(',')}` : '';
md.push(`Written by \`benchmarks/tpch/run.sh --sf ${args.sf} --threads ${args.threads} --runs ${args.runs} ` +
        `--timeout ${args.timeout}${enginesOption}${args.scaling === '1' ? ' --scaling' : ''}\` on ${now}.`, '');
md.push(`- Machine: ${cpu}, ${cores} cores (nproc), ${memory} memory`);
md.push('- Engines:', ...engines.map((e) => `  - ${label(e)}: ${version(e)}`));
md.push(`- Data: generated by Grizzly's \`CALL dbgen(sf = ${args.sf})\`, exported as .tbl and loaded by every engine ` +
        `with the schema of \`benchmarks/tpch/schema.sql\` (no indexes, no keys).`);
md.push(`- Each query: one first run (cold: planning, compilation, caches), then ${args.runs} timed runs; ` +
        `the tables show the median of those (warm) and the first run separately. A run over ${args.timeout} s ` +
        `counts as a timeout.`);
if (hasBase) md.push('- (n×) is the time relative to DuckDB: above 1 is slower than DuckDB. † marks an answer that differs from DuckDB\'s (below).');
md.push(`- Geometric means are over the ${common.length} queries that every engine finished` +
        (common.length < 22 ? ` (${QUERIES.filter((q) => !common.includes(q)).join(', ')} left out); ` +
         'the row below them gives each engine\'s ratio to DuckDB over the queries that both finished' : '') + '.');
md.push('', '## Load (seconds)', '', `| ${engines.map(label).join(' | ')} |`, `|${engines.map(() => '---:').join('|')}|`,
        `| ${engines.map((e) => (data[e].load === null ? '–' : fmtSec(data[e].load))).join(' | ')} |`);
md.push('', '## Warm runs: median seconds', '', table('warm'));
md.push('', '## First runs: seconds', '', table('cold'));
if (slowest.length) {
  md.push('', '## Where Grizzly is furthest behind DuckDB', '',
          'Warm ratio of the best Grizzly mode per query, largest first:', '');
  for (const s of slowest.slice(0, 6)) md.push(`- ${s.q}: ${fmtRatio(s.best)}× (${label(s.mode)})`);
}
// --scaling: Grizzly adaptive and DuckDB on N threads against themselves on one, same run.
const scaled = [['grizzly-adaptive', 'grizzly-adaptive-1t'], [BASE, 'duckdb-1t']]
  .filter(([many, one]) => engines.includes(many) && engines.includes(one));
if (scaled.length) {
  const both = QUERIES.filter((q) => scaled.every(([many, one]) => ok(many, q) && ok(one, q)));
  const speedup = ([many, one], q, kind) => entry(one, q)[kind] / entry(many, q)[kind];
  const head = scaled.map(([many]) => `${label(many)} warm | ${label(many)} first run`);
  md.push('', `## Scaling: ${args.threads} threads against 1`, '',
          `Time on one thread divided by the time on ${args.threads}: above 1 is faster on ${args.threads}.`, '',
          `| Query | ${head.join(' | ')} |`, `|---|${scaled.map(() => '---:|---:').join('|')}|`);
  for (const q of both)
    md.push(`| ${q} | ${scaled.map((e) => `${fmtRatio(speedup(e, q, 'warm'))}× | ${fmtRatio(speedup(e, q, 'cold'))}×`).join(' | ')} |`);
  md.push(`| geomean (${both.length} q) | ${scaled.map((e) => ['warm', 'cold']
    .map((kind) => `**${fmtRatio(geomean(both.map((q) => speedup(e, q, kind))))}×**`).join(' | ')).join(' | ')} |`);
}
md.push('', '## Differences from DuckDB\'s answers', '');
if (!hasBase) md.push('DuckDB was not run, so no answers were compared.');
else if (!differences.length) md.push('None: every finished query gave DuckDB\'s answer (numbers within 0.01, strings without trailing blanks).');
else for (const d of differences) md.push(`- ${label(d.engine)} ${d.query}: ${d.text}`);
if (errors.length) {
  md.push('', '## Errors', '');
  [...new Set(errors)].forEach((text, i) => md.push(`${i + 1}. ${text}`));
}

// --- Chart -----------------------------------------------------------------------------

const png = `${args.out}.png`;
const plotted = engines.filter((e) => e !== BASE);
if (hasBase && plotted.length) {
  const dat = join(args.run, 'chart.dat');
  const rows = [`query ${plotted.map((e) => `"${label(e)}"`).join(' ')}`];
  for (const q of QUERIES) {
    rows.push(`${q} ${plotted.map((e) => (ok(e, q) && ok(BASE, q) ? (entry(e, q).warm / entry(BASE, q).warm).toPrecision(4) : '?')).join(' ')}`);
  }
  rows.push(`geomean ${plotted.map((e) => (common.length ? (geomean(common.map((q) => entry(e, q).warm)) / geomean(common.map((q) => entry(BASE, q).warm))).toPrecision(4) : '?')).join(' ')}`);
  writeFileSync(dat, rows.join('\n') + '\n');
  const gp = join(args.run, 'chart.gp');
  writeFileSync(gp, `
set terminal pngcairo size 1400,600 font ",10"
set output "${png}"
set title "TPC-H SF ${args.sf}, ${args.threads} thread(s): warm time relative to DuckDB (log scale, lower is better; missing bar = timeout or error)"
set datafile missing "?"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.9 border -1
set boxwidth 0.9
set logscale y 10
set grid ytics
set ylabel "time / DuckDB's time"
set key below horizontal
set xtics rotate by -45
set arrow from graph 0, first 1 to graph 1, first 1 nohead lw 2 dt 2 lc rgb "black"
plot for [i=2:${plotted.length + 1}] "${dat}" using i:xtic(1) title columnheader(i)
`);
  try {
    execFileSync('gnuplot', [gp], { stdio: ['ignore', 'ignore', 'pipe'] });
    md.splice(md.indexOf('## Load (seconds)') - 1, 0, '', `![Warm time relative to DuckDB](${basename(png)})`);
  } catch (error) {
    console.error(`report: gnuplot failed: ${error.stderr ?? error.message}`);
  }
}

writeFileSync(`${args.out}.md`, md.join('\n') + '\n');

// --- Console summary ------------------------------------------------------------------

console.log(`\nwrote ${args.out}.md${existsSync(png) ? ` and ${basename(png)}` : ''}`);
console.log(`geometric means over ${common.length} queries (warm / first run${hasBase ? ', ratio to DuckDB' : ''}):`);
for (const e of engines) {
  const w = geomean(common.map((q) => entry(e, q).warm)), c = geomean(common.map((q) => entry(e, q).cold));
  const ratio = hasBase && e !== BASE
    ? `  (${fmtRatio(w / geomean(common.map((q) => entry(BASE, q).warm)))}× / ${fmtRatio(c / geomean(common.map((q) => entry(BASE, q).cold)))}×)`
    : '';
  const both = QUERIES.filter((q) => ok(e, q) && ok(BASE, q));
  const pair = hasBase && e !== BASE && both.length !== common.length
    ? `  [with DuckDB on ${both.length} q: ${fmtRatio(geomean(both.map((q) => entry(e, q).warm)) / geomean(both.map((q) => entry(BASE, q).warm)))}×]`
    : '';
  const failed = QUERIES.filter((q) => !ok(e, q)).length;
  console.log(`  ${label(e).padEnd(18)} ${fmtSec(w).padStart(8)} s / ${fmtSec(c).padStart(8)} s${ratio}${failed ? `  [${failed} not ok]` : ''}${pair}`);
}
console.log(differences.length ? 'differences from DuckDB:' : 'no differences from DuckDB\'s answers');
for (const d of differences) console.log(`  ${label(d.engine)} ${d.query}: ${d.text}`);
