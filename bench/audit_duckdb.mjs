// Singleton rate of a facts TSV (subject, relation, answer) with DuckDB
// (npm @duckdb/node-api), as one GROUP BY. Prints "singletons records".
import { DuckDBInstance } from '@duckdb/node-api';

const path = process.argv[2].replaceAll("'", "''");
const con = await (await DuckDBInstance.create(':memory:')).connect();
const r = await con.runAndReadAll(`
  with c as (
    select count(*) as n, count(*) filter (where a <> 'IDK') as answered
    from read_csv('${path}', delim = '\t', header = false, quote = '', escape = '',
                  columns = {'s': 'VARCHAR', 'r': 'VARCHAR', 'a': 'VARCHAR'})
    group by s, r)
  select count(*) filter (where answered = 1), sum(n) from c`);
const [row] = r.getRowsJS();
console.log(`${row[0]} ${row[1]}`);
