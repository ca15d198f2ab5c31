#!/usr/bin/env node
// DuckDB's side of the TPC-H harness (benchmarks/tpch/run.sh):
//
//   node duckdb_runner.mjs --data DIR --schema FILE --queries DIR
//                          [--threads N] [--runs R] [--timeout SEC] [--results DIR]
//
// Loads DIR/<table>.tbl into an in-memory database, then runs each query once
// cold and R more times. Prints the same lines as grizzly-tpch-bench, so run.sh
// and report.mjs treat both alike: "#load<TAB>seconds", then per query
// "qNN<TAB>cold_s<TAB>median_s<TAB>rows<TAB>status". --results writes each
// answer (untimed, after the runs) as DIR/qNN.csv for the result comparison.
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DuckDBInstance, version } from '@duckdb/node-api';

const TABLES = ['region', 'nation', 'part', 'supplier', 'partsupp', 'customer', 'orders', 'lineitem'];

function parseArgs(argv) {
  const args = { threads: 1, runs: 3, timeout: 0 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!['data', 'schema', 'queries', 'threads', 'runs', 'timeout', 'results'].includes(key) || i + 1 >= argv.length) {
      console.error('usage: duckdb_runner.mjs --data DIR --schema FILE --queries DIR [--threads N] [--runs R] ' +
                    '[--timeout SEC] [--results DIR]');
      process.exit(2);
    }
    args[key] = ['threads', 'runs', 'timeout'].includes(key) ? Number(argv[i + 1]) : argv[i + 1];
  }
  return args;
}

// A single-quoted SQL string literal.
const literal = (text) => `'${text.replaceAll("'", "''")}'`;

// The query text without its final semicolon, so it can be wrapped in COPY (...).
const body = (sql) => sql.replace(/[\s;]+$/, '');

const args = parseArgs(process.argv.slice(2));
const instance = await DuckDBInstance.create(':memory:', { threads: String(args.threads) });
const con = await instance.connect();
await con.run(`SET threads = ${args.threads}`);
console.error(`duckdb ${version()}, threads ${args.threads}`);

// Load: the same schema file and the same exported .tbl files as every engine.
let start = performance.now();
for (const statement of readFileSync(args.schema, 'utf8').split(';')) {
  if (statement.replace(/--.*$/gm, '').trim()) await con.run(statement);
}
for (const table of TABLES) {
  await con.run(`COPY ${table} FROM ${literal(join(args.data, `${table}.tbl`))} (DELIMITER '|', HEADER false)`);
}
console.log(`#load\t${((performance.now() - start) / 1000).toFixed(3)}`);

// One run; a timer interrupts it after --timeout seconds (the query runs on a
// DuckDB worker thread, so the event loop stays free to fire the timer).
async function timedRun(sql) {
  let timedOut = false;
  const timer = args.timeout > 0 ? setTimeout(() => { timedOut = true; con.interrupt(); }, args.timeout * 1000) : null;
  const t0 = performance.now();
  try {
    const result = await con.run(sql);
    return { seconds: (performance.now() - t0) / 1000, rows: result.rowCount, status: 'ok' };
  } catch (error) {
    const status = timedOut ? 'timeout' : String(error.message).replace(/\s+/g, ' ');
    return { seconds: (performance.now() - t0) / 1000, rows: 0, status };
  } finally {
    if (timer) clearTimeout(timer);
  }
}

if (args.results) mkdirSync(args.results, { recursive: true });
for (let q = 1; q <= 22; ++q) {
  const name = `q${String(q).padStart(2, '0')}`;
  const sql = readFileSync(join(args.queries, `${name}.sql`), 'utf8');
  const times = [];
  let rows = 0;
  let status = 'ok';
  for (let run = 0; run <= args.runs; ++run) {
    const result = await timedRun(sql);
    times.push(result.seconds);
    status = result.status;
    if (status !== 'ok') break;
    rows = result.rows;
  }
  if (args.results && status === 'ok') {
    const file = join(args.results, `${name}.csv`);
    await con.run(`COPY (${body(sql)}\n) TO ${literal(file)} (HEADER, DELIMITER ',')`);
  }
  // Same median as grizzly-tpch-bench: the upper middle of the warm runs.
  const warm = (times.length > 1 ? times.slice(1) : times).sort((a, b) => a - b);
  const median = warm[Math.floor(warm.length / 2)];
  console.log(`${name}\t${times[0].toFixed(6)}\t${median.toFixed(6)}\t${rows}\t${status}`);
}
