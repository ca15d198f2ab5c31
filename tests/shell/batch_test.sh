#!/usr/bin/env bash
# Batch-mode tests of grizzly-jit: runs it with -c, -f and stdin and compares
# stdout, stderr and the exit status exactly.
# Usage: tests/shell/batch_test.sh path/to/grizzly-jit
set -uo pipefail

jit=$(realpath "${1:?usage: batch_test.sh path/to/grizzly-jit}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work/home  # no ~/.grizzlyrc or history of the user's
mkdir -p "$HOME"
cd "$work"

failures=0
# expect NAME STATUS STDOUT STDERR -- COMMAND...: runs COMMAND (stdin from $input
# when set) and compares all three outcomes.
expect() {
    local name=$1 want_status=$2 want_out=$3 want_err=$4
    shift 5
    local status=0
    if [[ -n ${input+set} ]]; then
        printf '%s' "$input" | "$@" >"$work/out" 2>"$work/err" || status=$?
    else
        "$@" </dev/null >"$work/out" 2>"$work/err" || status=$?
    fi
    local ok=1
    [[ $status == "$want_status" ]] || ok=0
    [[ "$(cat "$work/out")" == "$want_out" ]] || ok=0
    [[ "$(cat "$work/err")" == "$want_err" ]] || ok=0
    if ((ok)); then
        echo "ok   $name"
    else
        echo "FAIL $name"
        echo "  status: got $status, want $want_status"
        diff <(printf '%s\n' "$want_out") "$work/out" | sed 's/^/  stdout /'
        diff <(printf '%s\n' "$want_err") "$work/err" | sed 's/^/  stderr /'
        failures=$((failures + 1))
    fi
}

setup="CREATE TABLE t (id INTEGER, name VARCHAR, score DOUBLE);
INSERT INTO t VALUES (1, 'héllo, \"wörld\"', 1.5), (2, NULL, NULL), (30, '日本', -2);"
query="SELECT * FROM t ORDER BY id;"

# ---- every output mode on a table with a NULL, quotes, a comma and wide characters ----
expect "mode box" 0 "$(cat <<'EOF'
┌────┬────────────────┬───────┐
│ id │      name      │ score │
├────┼────────────────┼───────┤
│  1 │ héllo, "wörld" │   1.5 │
│  2 │ NULL           │  NULL │
│ 30 │ 日本           │    -2 │
└────┴────────────────┴───────┘
EOF
)" "" -- "$jit" -c "$setup" -c "$query"

expect "mode table" 0 "$(cat <<'EOF'
+----+----------------+-------+
| id |      name      | score |
+----+----------------+-------+
|  1 | héllo, "wörld" |   1.5 |
|  2 | NULL           |  NULL |
| 30 | 日本           |    -2 |
+----+----------------+-------+
EOF
)" "" -- "$jit" -c "$setup" -c ".mode table" -c "$query"

expect "mode csv" 0 "$(cat <<'EOF'
id,name,score
1,"héllo, ""wörld""",1.5
2,,
30,日本,-2
EOF
)" "" -- "$jit" -c "$setup" -c ".mode csv" -c "$query"

expect "mode tsv" 0 "$(printf 'id\tname\tscore\n1\théllo, "wörld"\t1.5\n2\t\t\n30\t日本\t-2')" "" \
    -- "$jit" -c "$setup" -c ".mode tsv" -c "$query"

expect "mode json" 0 "$(cat <<'EOF'
[{"id":1,"name":"héllo, \"wörld\"","score":1.5},
{"id":2,"name":null,"score":null},
{"id":30,"name":"日本","score":-2}]
EOF
)" "" -- "$jit" -c "$setup" -c ".mode json" -c "$query"

expect "mode jsonl" 0 "$(cat <<'EOF'
{"id":1,"name":"héllo, \"wörld\"","score":1.5}
{"id":2,"name":null,"score":null}
{"id":30,"name":"日本","score":-2}
EOF
)" "" -- "$jit" -c "$setup" -c ".mode jsonl" -c "$query"

expect "mode markdown" 0 "$(cat <<'EOF'
| id  |      name      | score |
|----:|----------------|------:|
|   1 | héllo, "wörld" |   1.5 |
|   2 | NULL           |  NULL |
|  30 | 日本           |    -2 |
EOF
)" "" -- "$jit" -c "$setup" -c ".mode markdown" -c "$query"

expect "mode line" 0 "$(cat <<'EOF'
   id = 1
 name = héllo, "wörld"
score = 1.5

   id = 2
 name = NULL
score = NULL

   id = 30
 name = 日本
score = -2
EOF
)" "" -- "$jit" -c "$setup" -c ".mode line" -c "$query"

expect "json types, empty result" 0 "$(cat <<'EOF'
[{"b":true,"d":"2024-01-01","x":2.5,"inf":"Infinity","s":"a\\b"}]
[]
EOF
)" "" -- "$jit" --json -c "SELECT true AS b, DATE '2024-01-01' AS d, 2.5 AS x, 'inf'::DOUBLE AS inf, 'a\\b' AS s" \
    -c "SELECT 1 AS a WHERE false"

expect "flags -csv --markdown -json" 0 "$(cat <<'EOF'
a,b
1,
|  a  |
|----:|
|   1 |
[{"a":1}]
EOF
)" "" -- bash -c "'$jit' -csv -c \"SELECT 1 AS a, NULL AS b\" && '$jit' --markdown -c 'SELECT 1 AS a' && '$jit' -json -c 'SELECT 1 AS a'"

expect "headers off, nullvalue" 0 "$(printf '1,-\n1,|')" "" -- "$jit" -c ".mode csv" -c ".headers off" -c ".nullvalue -" -c "SELECT 1 AS a, NULL AS b" -c ".mode tsv" \
    -c ".nullvalue |" -c "SELECT '1' || '|' || 'x' AS a WHERE false" -c ".mode csv" -c "SELECT 1 AS a, NULL AS b" \
    --noheader

# ---- errors: stderr with position, exit status, -bail ----
input="SELECT 1 AS a;
SELECT 1 AS b;  SELECT nope
  FROM t;
SELECT 2 AS c;
"
expect "stdin: error with line, column and caret" 1 "$(cat <<'EOF'
┌───┐
│ a │
├───┤
│ 1 │
└───┘
┌───┐
│ b │
├───┤
│ 1 │
└───┘
┌───┐
│ c │
├───┤
│ 2 │
└───┘
EOF
)" "$(cat <<'EOF'
Error: table "t" does not exist (SQLSTATE 42P01) at line 3, column 8
    FROM t;
         ^
EOF
)" -- "$jit"

expect "stdin: -bail stops at the first error" 1 "$(cat <<'EOF'
┌───┐
│ a │
├───┤
│ 1 │
└───┘
┌───┐
│ b │
├───┤
│ 1 │
└───┘
EOF
)" "$(cat <<'EOF'
Error: table "t" does not exist (SQLSTATE 42P01) at line 3, column 8
    FROM t;
         ^
EOF
)" -- "$jit" -bail
unset input

expect "-c: statements without ';', error column" 1 "$(cat <<'EOF'
a
1
EOF
)" "$(cat <<'EOF'
Error: column "x" does not exist (SQLSTATE 42703) at line 1, column 23
  SELECT 1 AS a; SELECT x
                        ^
EOF
)" -- "$jit" -csv -c "SELECT 1 AS a; SELECT x"

printf '.mode csv\nSELECT 1 AS a;\n\n-- a comment\nSELECT\n  2 AS b;\n' >script.sql
expect "-f FILE" 0 "$(printf 'a\n1\nb\n2')" "" -- "$jit" -f script.sql
expect "-f missing file" 1 "" 'Error: cannot open file "missing.sql"' -- "$jit" -f missing.sql

# ---- dot commands ----
expect "unknown command and wrong arguments" 1 "" "$(cat <<'EOF'
Error: unknown command ".frobnicate"; .help lists the commands
Error: usage: .mode box|table|csv|tsv|json|jsonl|markdown|line
Error: usage: .headers on|off
Error: usage: .maxrows N
Error: usage: .import FILE TABLE
EOF
)" -- "$jit" -c ".frobnicate" -c ".mode xml" -c ".headers maybe" -c ".maxrows -1" -c ".import x.csv"

expect ".open a file, write, reopen it; a file argument opens it too" 0 "$(printf 'a\n42\na\n42')" "" \
    -- bash -c "'$jit' -csv -c '.open db.griz' -c 'CREATE TABLE k (a INTEGER)' -c 'INSERT INTO k VALUES (42)' \
                -c '.open db.griz' -c 'SELECT a FROM k' && '$jit' -csv db.griz -c 'SELECT a FROM k'"

expect "--readonly reads a file and refuses writes" 1 "$(printf 'a\n42')" "$(cat <<'EOF'
Error: cannot write: database "db" is opened read-only (SQLSTATE 25006) at line 1, column 1
  INSERT INTO k VALUES (43)
  ^
EOF
)" -- "$jit" -csv --readonly db.griz -c 'SELECT a FROM k' -c 'INSERT INTO k VALUES (43)'

expect "--readonly does not create a file" 1 "" \
    'Error: database file "missing.griz" does not exist (it cannot be created read-only) (SQLSTATE 58P01)' \
    -- "$jit" --readonly missing.griz -c 'SELECT 1'

expect ".open of a file that is not a database" 1 "" \
    'Error: file "notes.txt" is not a Grizzly database file (SQLSTATE XX001)' \
    -- bash -c "echo hello > notes.txt && '$jit' -c '.open notes.txt'"

expect ".tables and .schema" 0 "$(cat <<'EOF'
notes
t
CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    body VARCHAR NOT NULL DEFAULT 'x',
    tag VARCHAR UNIQUE,
    "order" INTEGER
);
EOF
)" "" -- "$jit" -c "CREATE TABLE t (a INTEGER); CREATE TABLE notes (id INTEGER PRIMARY KEY,
    body VARCHAR NOT NULL DEFAULT 'x', tag VARCHAR UNIQUE, \"order\" INTEGER)" -c ".tables" -c ".schema notes"

printf 'id,name,note\n1,Ada,"two\nlines, ""quoted"""\n2,,""\r\n3,Bob,x' >people.csv
expect ".import creates a VARCHAR table, NULL vs empty" 0 "$(cat <<'EOF'
[{"id":"1","name":"Ada","note":"two\nlines, \"quoted\"","name_null":false},
{"id":"2","name":null,"note":"","name_null":true},
{"id":"3","name":"Bob","note":"x","name_null":false}]
[{"n":6}]
EOF
)" "" -- "$jit" -json -c ".import people.csv people" -c "SELECT *, name IS NULL AS name_null FROM people" \
    -c "CREATE TABLE typed (id INTEGER, name VARCHAR, note VARCHAR)" -c ".import people.csv typed" \
    -c "SELECT sum(id) AS n FROM typed"

printf 'a,b\n1\n' >bad.csv
expect ".import with a short row" 1 "" "Error: bad.csv line 2: expected 2 fields, found 1; 0 rows were imported" \
    -- "$jit" -c ".import bad.csv bad"

printf '.mode csv\nSELECT 7 AS inner_value;\n' >inner.sql
expect ".read, .output, .once" 0 "$(cat <<'EOF'
after
┌────────────┐
│ once_value │
├────────────┤
│          1 │
└────────────┘
inner_value
7
more
2
EOF
)" "" -- bash -c "'$jit' -c '.once once.txt' -c 'SELECT 1 AS once_value' -c '.output all.txt' -c '.read inner.sql' \
    -c 'SELECT 2 AS more' -c '.output' -c \"SELECT 'after' AS x\" | tail -n 1 && cat once.txt all.txt"

# (The plan text itself belongs to the engine; only its first line is checked.)
expect ".explain toggles EXPLAIN" 0 "$(printf 'explain on\nexplain\nLogical plan:\nexplain off\nx\n1')" "" -- bash -c \
    "'$jit' -csv -c .explain -c 'SELECT 1' -c '.explain' -c 'SELECT 1 AS x' | grep -E '^(explain|x|1|\"?Logical plan:)' | tr -d '\"'"
expect ".timer prints real/user/sys" 0 "1" "" -- bash -c \
    "'$jit' -c '.timer on' -c 'SELECT 1' | grep -cE '^Run Time: real [0-9]+\.[0-9]{3} user [0-9]+\.[0-9]{6} sys [0-9]+\.[0-9]{6}$'"

expect ".maxrows in batch box output" 0 "$(cat <<'EOF'
┌───┐
│ i │
├───┤
│ 0 │
│ 1 │
└───┘
… 3 more rows (5 in total; .maxrows 0 shows all)
EOF
)" "" -- "$jit" -c ".maxrows 2" -c "SELECT i FROM range(5) t(i)"

expect "multi-line cells in box mode" 0 "$(cat <<'EOF'
┌─────┐
│  s  │
├─────┤
│ a   │
│ bcd │
└─────┘
EOF
)" "" -- "$jit" -c "SELECT 'a' || CAST(x'0a' AS VARCHAR) || 'bcd' AS s" -c ".quit" -c "SELECT 'not run'"

# ---- help ----
expect "HELP, .help TOPIC, .help function" 0 "$(cat <<'EOF'
SQL statements (.help NAME shows syntax and an example):
abs — absolute value

Syntax:
  abs(x)

Example:
  SELECT abs(-2);
.bail on|off
  stop at the first error
EOF
)" "" -- bash -c "'$jit' -c 'HELP;' | head -1 && '$jit' -c '.help ABS' -c '.help .bail'"

expect ".help unknown topic" 1 "" \
    'Error: no help for "nosuch"; .help sql lists the statements, .help functions the functions' \
    -- "$jit" -c ".help nosuch"

expect "--version" 0 "grizzly-jit 0.1.0" "" -- "$jit" --version
expect "--help names the options" 0 "--no-init" "" -- bash -c "'$jit' --help | grep -o -m1 -- '--no-init'"

# Every example in the help runs (on a schema the examples share).
examples=$("$jit" -c '.help sql' -c '.help functions' | awk 'NR > 1 && /^  [A-Za-z_ ]+  / {print $1}' | sort -u)
{
    echo "CREATE TABLE notes (id INTEGER PRIMARY KEY, body VARCHAR NOT NULL); CREATE TABLE log (msg VARCHAR);"
    for topic in $examples; do
        "$jit" -c ".help $topic" | awk '/^Example:/ {getline; sub(/^  /, ""); print}'
    done | grep -v '^\.import' | grep -v '^CREATE TABLE notes' | grep -v '^DROP' | grep -v '^COPY'
} >examples.sql
expect "help examples run" 0 "" "" -- bash -c "'$jit' -f examples.sql >/dev/null"

# ---- ~/.grizzlyrc ----
printf '.mode csv\n.headers off\n' >"$HOME/.grizzlyrc"
expect "~/.grizzlyrc is read" 0 "1" "" -- "$jit" -c "SELECT 1 AS a"
expect "--no-init skips it" 0 "$(printf '┌───┐\n│ a │\n├───┤\n│ 1 │\n└───┘')" "" -- "$jit" -no-init -c "SELECT 1 AS a"
expect "flags override it" 0 '[{"a":1}]' "" -- "$jit" --json -c "SELECT 1 AS a"
rm "$HOME/.grizzlyrc"

if ((failures)); then
    echo "$failures shell batch test(s) failed"
    exit 1
fi
echo "all shell batch tests passed"
