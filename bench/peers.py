#!/usr/bin/env python3
"""DuckDB side of bench/run: import the ratings CSV, and run the annual report's GROUP BY
queries. Prints one JSON object. Timings are measured inside (interpreter start excluded).

    peers.py duckdb-import CSV DBFILE
    peers.py duckdb-report DBFILE FROM TO
"""
import json
import sys
import time

import duckdb

# The annual report's counts, over a plain table with the CSV's columns. DuckDB infers
# 评价时间 as TIMESTAMP and 行政区划 as BIGINT, so both are cast where text is needed.
TIER = """CASE WHEN length(CAST(行政区划 AS VARCHAR)) = 6 AND CAST(行政区划 AS VARCHAR) LIKE '%00'
               THEN '市本级'
               WHEN length(CAST(行政区划 AS VARCHAR)) = 6 THEN '区级'
               ELSE '镇(街道)和村(社区)级' END"""
WHERE = "WHERE 评价时间 >= CAST(? AS TIMESTAMP) AND 评价时间 < CAST(? AS TIMESTAMP) + INTERVAL 1 DAY"
QUERIES = [
    f"SELECT {TIER}, 满意度, COUNT(*) FROM ratings {WHERE} GROUP BY 1, 2",
    f"SELECT 部门, 满意度, COUNT(*) FROM ratings {WHERE} GROUP BY 1, 2",
    f"SELECT strftime(评价时间, '%Y-%m'), 满意度, COUNT(*) FROM ratings {WHERE} GROUP BY 1, 2",
    f"SELECT 评价渠道, 满意度, COUNT(*) FROM ratings {WHERE} GROUP BY 1, 2",
    f"""SELECT 窗口, COUNT(*) AS bad FROM ratings {WHERE}
        AND 满意度 IN ('不满意', '非常不满意') AND 窗口 IS NOT NULL AND 窗口 <> ''
        GROUP BY 1 ORDER BY bad DESC LIMIT 10""",
]


def duckdb_import(csv, db):
    con = duckdb.connect(db)
    t = time.perf_counter()
    con.execute("CREATE TABLE ratings AS SELECT * FROM read_csv(?, header = true)", [csv])
    n = con.execute("SELECT COUNT(*) FROM ratings").fetchone()[0]
    con.close()
    return {"seconds": time.perf_counter() - t, "rows": n}


def duckdb_report(db, frm, to):
    con = duckdb.connect(db, read_only=True)
    runs = []
    for _ in range(3):
        t = time.perf_counter()
        for q in QUERIES:
            con.execute(q, [frm, to]).fetchall()
        runs.append(time.perf_counter() - t)
    total = con.execute(f"SELECT COUNT(*) FROM ratings {WHERE}", [frm, to]).fetchone()[0]
    return {"first_ms": runs[0] * 1000, "median_ms": sorted(runs)[1] * 1000, "rows": total}


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "duckdb-import":
        out = duckdb_import(*args)
    elif cmd == "duckdb-report":
        out = duckdb_report(*args)
    elif cmd == "duckdb-version":
        out = {"version": duckdb.__version__}
    else:
        sys.exit(f"unknown command {cmd}")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
