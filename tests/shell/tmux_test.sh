#!/usr/bin/env bash
# Interactive tests of grizzly-jit in a real terminal: drives it inside a
# detached tmux session (send-keys) and polls the screen (capture-pane) with a
# bounded timeout. Covers tab completion of a column name, a multi-line
# statement, Ctrl-C clearing the line and cancelling a running statement, Ctrl-D,
# history recall after a restart, and the full-screen .browse view.
# Usage: tests/shell/tmux_test.sh path/to/grizzly-jit
set -uo pipefail

jit=$(realpath "${1:?usage: tmux_test.sh path/to/grizzly-jit}")
if ! command -v tmux >/dev/null; then
    echo "tmux is not installed: skipping the interactive shell tests"
    exit 77  # CTest's SKIP_RETURN_CODE
fi
work=$(mktemp -d)
socket=$work/tmux.sock
home=$work/home
mkdir -p "$home"
cleanup() {
    tmux -S "$socket" kill-server 2>/dev/null
    rm -rf "$work" 2>/dev/null  # a shell killed with the server may still be writing its history
}
trap cleanup EXIT

failures=0
screen() { tmux -S "$socket" capture-pane -p -t test; }
# keys KEY...: named keys (Enter, Tab, C-c); type TEXT: literal text (a trailing
# ';' would otherwise end the tmux command).
keys() { tmux -S "$socket" send-keys -t test "$@"; }
type() {
    local text=$1
    [[ $text == *";" ]] && text="${text%;}\\;"  # tmux reads a bare trailing ';' as a command separator
    tmux -S "$socket" send-keys -t test -l "$text"
}

# wait_for NAME REGEX: polls the screen until REGEX (extended, matched against
# the whole pane) appears, for at most 5 seconds.
wait_for() {
    local name=$1 pattern=$2
    for _ in $(seq 1 100); do
        if screen | grep -Eq -- "$pattern"; then
            echo "ok   $name"
            return 0
        fi
        sleep 0.05
    done
    echo "FAIL $name: /$pattern/ not on the screen:"
    screen | sed 's/^/  | /'
    failures=$((failures + 1))
    return 1
}

# wait_idle NAME REGEX: waits until the last non-blank line of the screen matches
# REGEX (an empty prompt), so that typing does not race the previous statement.
wait_idle() {
    local name=$1 pattern=$2
    for _ in $(seq 1 100); do
        if screen | grep -v '^ *$' | tail -n 1 | grep -Eq -- "$pattern"; then return 0; fi
        sleep 0.05
    done
    echo "FAIL $name: the screen does not end in /$pattern/:"
    screen | sed 's/^/  | /'
    failures=$((failures + 1))
    return 1
}
prompt='^grizzly> ?$'

# A plain shell without rc files keeps the screen predictable; the shell under
# test gets the temporary HOME for its history.
tmux -S "$socket" new-session -d -s test -x 120 -y 40 \
    "env -i PATH=/usr/bin:/bin TERM=xterm-256color HOME=$home PS1='sh\$ ' bash --norc --noprofile"
wait_for "bash started" '^sh\$ ?$' || exit 1

type "'$jit' --no-init"
keys Enter
wait_for "prompt" '^grizzly> ?$'
type "CREATE TABLE birds (wingspan_cm INTEGER, species VARCHAR); INSERT INTO birds VALUES (120, 'heron');"
keys Enter
wait_idle "table created" "$prompt"

# ---- tab completion of a column name ----
type "SELECT wingsp"
keys Tab
wait_for "tab completes a column name" '^grizzly> SELECT wingspan_cm ?$'
type "FROM birds;"
keys Enter
wait_for "completed statement runs" '│ +120 │'

# ---- box output fits the terminal; interactive output stops at 40 rows ----
wait_idle "idle before wide output" "$prompt"
type "SELECT repeat('x', 150) AS a, repeat('y', 150) AS b, 1 AS c;"
keys Enter
wait_for "wide columns are truncated with an ellipsis" '^│ x+… │ y+… │ 1 │$'
# A frame wider than the pane would wrap, and its border would not fit one screen line.
wait_for "the frame fits the terminal" '^└─+┴─+┴───┘$'
wait_idle "idle before many columns" "$prompt"
type "SELECT $(for i in $(seq 1 30); do printf "'value' AS column_%02d, " "$i"; done)0 AS last;"
keys Enter
wait_for "columns that do not fit are hidden" '^… 17 more columns hidden to fit the terminal: column_15, column_16, .*…$'
wait_idle "idle before many rows" "$prompt"
type "SELECT i FROM range(100) t(i);"
keys Enter
wait_for "interactive box output stops at 40 rows" '^… 60 more rows \(100 in total; \.maxrows 0 shows all\)$'

# ---- Ctrl-C cancels a running statement; the shell stays usable ----
wait_idle "idle before a long statement" "$prompt"
type "CREATE TABLE big AS SELECT i AS k FROM range(0, 2000000) r(i);"
keys Enter
wait_idle "big table created" "$prompt"
# A nested-loop join of 2M x 2,000 rows runs for many seconds.
type "SELECT count(*) FROM big a, (SELECT k FROM big LIMIT 2000) b WHERE a.k + b.k < 0;"
keys Enter
sleep 0.5
keys C-c
wait_for "Ctrl-C cancels the running statement" 'canceling statement due to user request \(SQLSTATE 57014\)'
wait_idle "idle after cancelling" "$prompt"
type "SELECT 'still here' AS state;"
keys Enter
wait_for "the connection works after cancelling" '│ still here │'
wait_idle "idle after cancel check" "$prompt"
type "DROP TABLE big;"
keys Enter

# ---- a multi-line statement ----
wait_idle "idle before multi-line" "$prompt"
type "SELECT species"
keys Enter
wait_for "continuation prompt" '^    \.\.\.> ?$'
type "  FROM birds;"
keys Enter
wait_for "multi-line statement runs" '│ heron   │'

# ---- Ctrl-C clears the line ----
wait_idle "idle before Ctrl-C" "$prompt"
type "SELECT nonsense"
keys C-c
wait_for "Ctrl-C shows ^C" '^grizzly> SELECT nonsense\^C$'
wait_idle "idle after Ctrl-C" "$prompt"
type "SELECT 42 AS answer;"
keys Enter
wait_for "the cleared line did not run" '│ +42 │'
if screen | grep -q 'nonsense" does not exist'; then
    echo "FAIL Ctrl-C: the cleared line ran"
    failures=$((failures + 1))
fi
wait_idle "idle before partial statement" "$prompt"
type "SELECT 1 +"
keys Enter
wait_for "continuation before Ctrl-C" '^    \.\.\.> ?$'
keys C-c
wait_idle "idle after Ctrl-C on a continuation line" "$prompt"
type "SELECT 'fresh' AS state;"
keys Enter
wait_for "Ctrl-C drops a partial statement" '│ fresh │'

# ---- Ctrl-D exits; history survives a restart ----
wait_idle "idle before Ctrl-D" "$prompt"
keys C-d
wait_for "Ctrl-D leaves the shell" '^sh\$ ?$'
type "clear"
keys Enter
tmux -S "$socket" clear-history -t test
type "'$jit' --no-init"
keys Enter
wait_for "restarted" '^grizzly> ?$'
keys Up
wait_for "Up recalls the last statement" "^grizzly> SELECT 'fresh' AS state;$"
keys Up Up
wait_for "Up recalls a multi-line statement as one line" '^grizzly> SELECT species   FROM birds;$'
keys C-c
wait_idle "idle before leaving" "$prompt"
keys C-d
wait_for "left again" '^sh\$ ?$'

# ---- .browse: a full-screen view of a large result ----
# Outside a terminal .browse refuses in one line; without arguments it prints its usage.
check_output() {
    local name=$1 expected=$2 actual=$3
    if [[ $actual == "$expected" ]]; then
        echo "ok   $name"
    else
        echo "FAIL $name: expected \"$expected\", got \"$actual\""
        failures=$((failures + 1))
    fi
}
check_output ".browse needs a terminal" "Error: .browse needs a terminal: stdin and stdout must both be one" \
    "$("$jit" --no-init -c ".browse birds" </dev/null 2>&1)"
check_output ".browse without arguments prints its usage" "Error: usage: .browse TABLE|QUERY" \
    "$("$jit" --no-init -c ".browse" </dev/null 2>&1)"
# The screen with its SGR attributes, to tell a dim NULL from the string 'NULL'.
screen_sgr() { tmux -S "$socket" capture-pane -e -p -t test; }
type "clear"
keys Enter
tmux -S "$socket" clear-history -t test
wait_idle "cleared before .browse" '^sh\$ ?$'
type "'$jit' --no-init"
keys Enter
wait_idle "restarted for .browse" "$prompt"
# 200 rows x 12 columns, wider than the pane; row 3 has a NULL label, row 4 the string 'NULL'.
type "CREATE TABLE wide AS SELECT i AS id, i * 2 AS twice, \
CASE WHEN i = 3 THEN NULL ELSE 'label-' || CAST(i AS VARCHAR) END AS label, \
CASE WHEN i = 2 THEN repeat('long', 20) WHEN i = 4 THEN 'NULL' ELSE 'short' END AS note, \
$(for col in 5 6 7 8 9 10 11; do printf 'i * %d AS col_%02d_value, ' "$col" "$col"; done)\
i % 7 AS last FROM range(1, 201) t(i);"
keys Enter
wait_idle "wide table created" "$prompt"
type ".browse wide"
keys Enter
wait_for ".browse shows the column names" '^ +│ +id │ twice │ label +│ note +│ col_05_value │'
wait_for ".browse shows the first row, numbers right-aligned" '^  1 │   1 │     2 │ label-1   │ short +│ +5 │'
wait_for ".browse truncates a long value with an ellipsis" '^  2 │   2 │     4 │ label-2   │ (long){7}l… │'
wait_for ".browse shows the status line" '^rows 1–38 of 200, columns 1–[0-9]+ of 12 .*q quit'
if screen_sgr | grep -qF $'│ \e[2mNULL\e[0m' && screen_sgr | grep -qF 'label-4   │ NULL '; then
    echo "ok   .browse shows NULL dim and the string 'NULL' plain"
else
    echo "FAIL .browse does not tell NULL from 'NULL':"
    screen_sgr | sed -n '4,6p' | cat -v | sed 's/^/  | /'
    failures=$((failures + 1))
fi
keys NPage
wait_for "PgDn moves one screen down" '^rows 39–76 of 200, columns 1–'
wait_for "PgDn shows row 39 at the top" '^ 39 │  39 │    78 │ label-39 '
keys Right
wait_for "Right scrolls one column" '^rows 39–76 of 200, columns 2–'
wait_for "Right hides the first column" '^ +│ twice │ label +│ note '
type "/LABEL-15"
wait_for "/ opens the search prompt" '^/LABEL-15$'
keys Enter
wait_for "search jumps to the next match below, ignoring case" '^rows 150–187 of 200, columns 2–'
wait_for "the matching row is at the top" '^150 │   300 │ label-150 │'
if screen_sgr | grep -qF $'\e[7mlabel-150'; then
    echo "ok   the matching cell is highlighted"
else
    echo "FAIL the matching cell is not highlighted"
    failures=$((failures + 1))
fi
keys n
wait_for "n finds the next match" '^151 │   302 │ label-151 │'
keys q
wait_idle "q leaves .browse" "$prompt"
wait_for "the shell screen is restored" '^grizzly> \.browse wide$'
type "SELECT 1 AS after_browse;"
keys Enter
wait_for "the shell works after .browse" '^│ +1 │$'
wait_idle "idle before browsing a query" "$prompt"
type ".browse SELECT 'only' AS lonely;"
keys Enter
wait_for ".browse runs a query" '^rows 1–1 of 1, columns 1–1 of 1 '
keys Escape
wait_idle "Esc leaves .browse" "$prompt"

# ---- Ctrl-R searches the history ----
type "SELECT 11 AS eleven;"
keys Enter
wait_idle "idle before history search" "$prompt"
type "SELECT 22 AS twentytwo;"
keys Enter
wait_idle "idle before Ctrl-R" "$prompt"
keys C-r
type "elev"
wait_for "Ctrl-R shows the matching statement" "SELECT 11 AS eleven;"
keys Enter
wait_for "the found statement runs" '│ +11 │'
wait_idle "idle after history search" "$prompt"
keys C-d
wait_for "left after .browse" '^sh\$ ?$'

if ((failures)); then
    echo "$failures interactive shell test(s) failed"
    exit 1
fi
echo "all interactive shell tests passed"
