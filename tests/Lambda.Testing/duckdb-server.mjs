// DuckDB behind a line protocol, for the tests' DuckDb class (DuckDb.cs, which embeds this file).
// Started as: node --input-type=module --eval <this file>, with LAMBDA_DUCKDB_NODE_MODULES naming
// the node_modules folder that holds @duckdb/node-api (scripts/setup-duckdb.sh installs it).
//
// stdin, one JSON object a line:
//   {"id": 1, "sql": "...", "mode": "query" | "execute"}   run the SQL (one request at a time, in order)
//   {"cancel": 1}                                         interrupt request 1 if it runs, drop it if queued
// stdout, one JSON object a line:
//   {"ready": true, "version": "v1.5.6"}                  once, when DuckDB is open
//   {"id": 1, "columns": [..], "types": [..], "kinds": [..], "rows": [[..], ..]}   a query's result
//   {"id": 1, "ok": true}                                 an execute's success
//   {"id": 1, "error": "DuckDB's message"}                a failure
//
// Values travel so that nothing is lost: "kinds" tells the client how each column is encoded.
//   bool: true/false; int: a JSON number (32-bit); long: a decimal string;
//   double and float: the shortest round-trip decimal string, "NaN", "Infinity", "-Infinity", "-0";
//   string: a JSON string; date: the day number since 1970-01-01;
//   ts_s, ts_ms, ts_us, ts_ns: the count of seconds, ms, µs or ns since 1970-01-01T00:00Z, as a
//   decimal string; text: DuckDB's text form of any other type.
//   null is SQL NULL. A date or timestamp that .NET cannot hold exactly (outside years 1..9999,
//   infinity, or nanoseconds below 100 ns) travels as {"text": DuckDB's text form}.
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';

const nodeModules = process.env.LAMBDA_DUCKDB_NODE_MODULES;
if (!nodeModules) {
  process.stderr.write('LAMBDA_DUCKDB_NODE_MODULES is not set\n');
  process.exit(2);
}
const require = createRequire(path.join(nodeModules, 'lambda-duckdb-server.js'));
const duckdb = require(path.join(nodeModules, '@duckdb', 'node-api'));
const { DuckDBInstance, DuckDBTypeId } = duckdb;

const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
// Text forms of TIMESTAMP WITH TIME ZONE (casts, strftime) do not depend on the machine's zone.
await connection.run("SET TimeZone = 'UTC'");
const version = (await connection.runAndReadAll('SELECT version()')).getRows()[0][0];

const send = message => process.stdout.write(JSON.stringify(message) + '\n');

// .NET's DateOnly and DateTimeOffset: 0001-01-01 .. 9999-12-31 (days, µs since the epoch).
const minDay = -719162, maxDay = 2932896;
const minMicros = -62135596800000000n, maxMicros = 253402300799999999n;

const kindOf = typeId => {
  switch (typeId) {
    case DuckDBTypeId.BOOLEAN: return 'bool';
    case DuckDBTypeId.INTEGER: return 'int';
    case DuckDBTypeId.BIGINT: return 'long';
    case DuckDBTypeId.FLOAT: return 'float';
    case DuckDBTypeId.DOUBLE: return 'double';
    case DuckDBTypeId.VARCHAR: return 'string';
    case DuckDBTypeId.DATE: return 'date';
    case DuckDBTypeId.TIMESTAMP_S: return 'ts_s';
    case DuckDBTypeId.TIMESTAMP_MS: return 'ts_ms';
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ: return 'ts_us';
    case DuckDBTypeId.TIMESTAMP_NS: return 'ts_ns';
    default: return 'text';
  }
};

const numberText = x => Object.is(x, -0) ? '-0' : String(x); // String gives NaN, Infinity, -Infinity

const encode = (kind, v) => {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case 'bool': return v;
    case 'int': return v;
    case 'long': return v.toString();
    case 'float':
    case 'double': return numberText(v);
    case 'string': return v;
    case 'date': return v.days >= minDay && v.days <= maxDay ? v.days : { text: v.toString() };
    case 'ts_s': return timestamp(v, v.seconds * 1000000n, true);
    case 'ts_ms': return timestamp(v, v.millis * 1000n, true);
    case 'ts_us': return timestamp(v, v.micros, true);
    case 'ts_ns': return timestamp(v, v.nanos / 1000n, v.nanos % 100n === 0n, v.nanos);
    default: return v.toString();
  }
};

const timestamp = (v, micros, exact, raw) =>
  exact && micros >= minMicros && micros <= maxMicros
    ? (raw ?? (v.seconds ?? v.millis ?? v.micros)).toString()
    : { text: v.toString() };

const queue = [];
let running = null;
let busy = false;

const pump = async () => {
  if (busy) return;
  busy = true;
  while (queue.length > 0) {
    const request = queue.shift();
    running = request.id;
    try {
      if (request.mode === 'execute') {
        await connection.run(request.sql);
        send({ id: request.id, ok: true });
      } else {
        const reader = await connection.runAndReadAll(request.sql);
        const kinds = [];
        const types = [];
        for (let i = 0; i < reader.columnCount; i++) {
          const type = reader.columnType(i);
          kinds.push(kindOf(type.typeId));
          types.push(type.toString());
        }
        const rows = reader.getRows().map(row => row.map((v, i) => encode(kinds[i], v)));
        send({ id: request.id, columns: reader.columnNames(), types, kinds, rows });
      }
    } catch (e) {
      send({ id: request.id, error: e instanceof Error ? e.message : String(e) });
    } finally {
      running = null;
    }
  }
  busy = false;
};

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', line => {
  if (line.trim() === '') return;
  let request;
  try {
    request = JSON.parse(line);
  } catch (e) {
    process.stderr.write(`not JSON: ${line.slice(0, 200)}\n`);
    return;
  }
  if (request.cancel !== undefined) {
    if (running === request.cancel) {
      connection.interrupt();
    } else {
      const at = queue.findIndex(r => r.id === request.cancel);
      if (at >= 0) queue.splice(at, 1);
    }
    return;
  }
  queue.push(request);
  pump();
});
// The client closed stdin (it is done, or it died): stop.
lines.on('close', () => process.exit(0));

send({ ready: true, version });
