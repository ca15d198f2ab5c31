#include "tools/shell/help.hpp"

#include <algorithm>
#include <cctype>

#include "tools/shell/dot_commands.hpp"

namespace grizzly::shell {

namespace {

std::string Lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Collapses runs of blanks so that "create   table" finds "CREATE TABLE".
std::string NormalizeTopic(std::string_view topic) {
    std::string out;
    for (char c : topic) {
        bool blank = std::isspace(static_cast<unsigned char>(c)) != 0;
        if (blank && (out.empty() || out.back() == ' ')) continue;
        out += blank ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    while (!out.empty() && (out.back() == ' ' || out.back() == ';')) out.pop_back();
    return out;
}

std::string FormatTopic(const HelpTopic& topic) {
    std::string text = std::string(topic.name) + " — " + std::string(topic.summary) + "\n\nSyntax:\n";
    std::string_view syntax = topic.syntax;
    while (!syntax.empty()) {
        size_t end = syntax.find('\n');
        text += "  " + std::string(syntax.substr(0, end)) + "\n";
        syntax = end == std::string_view::npos ? std::string_view() : syntax.substr(end + 1);
    }
    return text + "\nExample:\n  " + std::string(topic.example) + "\n";
}

std::string ListTopics(const std::vector<HelpTopic>& topics, std::string_view heading, std::string_view footer) {
    size_t width = 0;
    for (const HelpTopic& topic : topics) width = std::max(width, topic.name.size());
    std::string text(heading);
    for (const HelpTopic& topic : topics)
        text += "  " + std::string(topic.name) + std::string(width - topic.name.size() + 2, ' ') +
                std::string(topic.summary) + "\n";
    return text + std::string(footer);
}

// More than a one-line summary, for the dot commands that need it.
std::string_view DotCommandDetails(std::string_view name) {
    if (name == ".browse")
        return "\nA single word is a table or view name (SELECT * FROM it); anything else runs as a query.\n"
               "Needs a terminal. Keys:\n"
               "  Up/Down, j/k          one row\n"
               "  Left/Right, h/l       one column\n"
               "  PgUp/PgDn, b/Space    one screen\n"
               "  Home/End, g/G         first/last row\n"
               "  /TEXT Enter           next cell containing TEXT (any case), from the top row\n"
               "  n                     the next match\n"
               "  q, Esc                back to the prompt\n"
               "Example:\n  .browse SELECT * FROM range(1000) t(i)\n";
    return "";
}

}  // namespace

const std::vector<HelpTopic>& StatementTopics() {
    static const std::vector<HelpTopic> topics = {
        {"SELECT",
         "SELECT [DISTINCT] expr [AS name], ...\n  FROM table [AS alias] [[LEFT|RIGHT|FULL] JOIN table ON cond]...\n"
         "  [WHERE cond] [GROUP BY expr, ...] [HAVING cond]\n  [ORDER BY expr [ASC|DESC], ...] [LIMIT n [OFFSET m]]",
         "query tables", "SELECT i, i * i AS square FROM range(10) t(i) WHERE i % 3 = 0 ORDER BY i DESC LIMIT 2;"},
        {"WITH", "WITH [RECURSIVE] name [(columns)] AS (query), ... query", "name subqueries for one statement",
         "WITH t AS (SELECT 1 AS x) SELECT x + 1 FROM t;"},
        {"VALUES", "VALUES (expr, ...), ...", "a literal table",
         "VALUES (1, 'a'), (2, 'b');"},
        {"INSERT",
         "INSERT INTO table [(column, ...)] {VALUES (expr, ...), ... | query | DEFAULT VALUES}\n"
         "  [ON CONFLICT [(column, ...)] DO NOTHING]",
         "add rows", "INSERT INTO notes VALUES (1, 'first'), (2, 'second');"},
        {"UPDATE", "UPDATE table SET column = expr, ... [FROM table] [WHERE cond]", "change rows",
         "UPDATE notes SET body = upper(body) WHERE id = 1;"},
        {"DELETE", "DELETE FROM table [USING table] [WHERE cond]", "remove rows",
         "DELETE FROM notes WHERE id = 2;"},
        {"CREATE TABLE",
         "CREATE [OR REPLACE] [TEMP] TABLE [IF NOT EXISTS] name (\n"
         "    column type [NOT NULL] [PRIMARY KEY] [UNIQUE] [DEFAULT expr] [CHECK (cond)]\n"
         "        [REFERENCES table (column)], ...\n"
         "    [, PRIMARY KEY (column, ...)] [, UNIQUE (column, ...)] [, CHECK (cond)])\n"
         "CREATE TABLE name AS query",
         "create a table",
         "CREATE TABLE notes (id INTEGER PRIMARY KEY, body VARCHAR NOT NULL CHECK (length(body) > 0));"},
        {"CREATE VIEW", "CREATE [OR REPLACE] VIEW [IF NOT EXISTS] name [(column, ...)] AS query",
         "name a query", "CREATE VIEW small AS SELECT i FROM range(3) t(i);"},
        {"CREATE INDEX", "CREATE [UNIQUE] INDEX [IF NOT EXISTS] [name] ON table (expr [ASC|DESC], ...)",
         "index columns of a table", "CREATE INDEX notes_body ON notes (body);"},
        {"CREATE MACRO", "CREATE [OR REPLACE] MACRO name (parameter, ...) AS expr",
         "define a scalar macro", "CREATE MACRO twice(x) AS x * 2;"},
        {"CREATE FUNCTION", "CREATE [OR REPLACE] FUNCTION name (parameter type, ...) RETURNS type AS expr",
         "define a SQL function", "CREATE FUNCTION add_one(x INTEGER) RETURNS INTEGER AS x + 1;"},
        {"CREATE TRIGGER",
         "CREATE TRIGGER [IF NOT EXISTS] name {BEFORE|AFTER|INSTEAD OF} {INSERT|UPDATE [OF columns]|DELETE}\n"
         "  ON table [FOR EACH ROW] [WHEN cond] BEGIN statement; ... END",
         "run statements when a table changes",
         "CREATE TRIGGER notes_log AFTER INSERT ON notes BEGIN INSERT INTO log VALUES ('inserted'); END;"},
        {"DROP", "DROP {TABLE|VIEW|INDEX|TRIGGER|FUNCTION|MACRO} [IF EXISTS] name, ... [CASCADE|RESTRICT]",
         "remove an object", "DROP TABLE IF EXISTS notes;"},
        {"ALTER TABLE",
         "ALTER TABLE name ADD [COLUMN] column type [constraints]\n"
         "ALTER TABLE name DROP [COLUMN] column\n"
         "ALTER TABLE name RENAME [COLUMN] old TO new\n"
         "ALTER TABLE name RENAME TO new_name\n"
         "ALTER TABLE name ALTER [COLUMN] column {TYPE type | SET DEFAULT expr | DROP DEFAULT\n"
         "                                        | SET NOT NULL | DROP NOT NULL}",
         "change a table's columns", "ALTER TABLE notes ADD COLUMN stars INTEGER DEFAULT 0;"},
        {"BEGIN", "BEGIN [TRANSACTION]", "start a transaction", "BEGIN; DELETE FROM notes; ROLLBACK;"},
        {"COMMIT", "COMMIT [TRANSACTION]", "make a transaction's changes permanent",
         "BEGIN; INSERT INTO notes VALUES (3, 'third'); COMMIT;"},
        {"ROLLBACK", "ROLLBACK [TRANSACTION]", "undo a transaction's changes",
         "BEGIN; DELETE FROM notes; ROLLBACK;"},
        {"EXPLAIN", "EXPLAIN [ANALYZE] statement", "show the plans; ANALYZE also runs the statement",
         "EXPLAIN SELECT count(*) FROM range(100) t(i);"},
        {"DESCRIBE", "DESCRIBE table\nDESCRIBE query", "list the columns of a table or query",
         "DESCRIBE SELECT 1 AS one, 'x' AS letter;"},
        {"SHOW", "SHOW TABLES\nSHOW ALL\nSHOW setting", "list tables or settings", "SHOW TABLES;"},
        {"SET", "SET setting {= | TO} value", "change a setting", "SET threads = 1;"},
        {"RESET", "RESET {setting | ALL}", "restore a setting's default", "RESET threads;"},
        {"COPY", "COPY table {FROM | TO} 'file' [(options)]",
         "read or write CSV files (not supported yet: use .import and .output)", ".import data.csv notes"},
    };
    return topics;
}

const std::vector<HelpTopic>& FunctionTopics() {
    static const std::vector<HelpTopic> topics = {
        {"abs", "abs(x)", "absolute value", "SELECT abs(-2);"},
        {"round", "round(x [, digits])", "round to `digits` decimal places", "SELECT round(2.567, 2);"},
        {"floor", "floor(x)", "largest integer not greater than x", "SELECT floor(2.5);"},
        {"ceil", "ceil(x), ceiling(x)", "smallest integer not less than x", "SELECT ceil(2.1);"},
        {"trunc", "trunc(x)", "x without its fraction", "SELECT trunc(-2.7);"},
        {"mod", "mod(x, y), x % y", "remainder of x / y", "SELECT mod(7, 3);"},
        {"power", "power(x, y), pow(x, y)", "x raised to y", "SELECT power(2, 10);"},
        {"sqrt", "sqrt(x)", "square root", "SELECT sqrt(16);"},
        {"exp", "exp(x)", "e raised to x", "SELECT exp(1);"},
        {"ln", "ln(x)", "natural logarithm", "SELECT ln(2.0);"},
        {"log", "log(x)", "base-10 logarithm", "SELECT log(100);"},
        {"sign", "sign(x)", "-1, 0 or 1", "SELECT sign(-3);"},
        {"random", "random()", "a random DOUBLE in [0, 1)", "SELECT random() < 1;"},
        {"greatest", "greatest(x, ...)", "largest argument", "SELECT greatest(1, 5, 3);"},
        {"least", "least(x, ...)", "smallest argument", "SELECT least(1, 5, 3);"},
        {"length", "length(s), char_length(s), len(s)", "number of characters", "SELECT length('grizzly');"},
        {"substring", "substring(s, start [, length]), substring(s FROM start [FOR length]), substr(...)",
         "part of a string (1-based)", "SELECT substring('hello', 2, 3);"},
        {"position", "position(needle IN s), strpos(s, needle), instr(s, needle)",
         "1-based position of needle, 0 if absent", "SELECT position('l' IN 'hello');"},
        {"upper", "upper(s), ucase(s)", "upper case", "SELECT upper('bear');"},
        {"lower", "lower(s), lcase(s)", "lower case", "SELECT lower('BEAR');"},
        {"trim", "trim(s), trim([BOTH|LEADING|TRAILING] chars FROM s)", "remove surrounding spaces",
         "SELECT trim('  bear  ');"},
        {"ltrim", "ltrim(s)", "remove leading spaces", "SELECT ltrim('  bear');"},
        {"rtrim", "rtrim(s)", "remove trailing spaces", "SELECT rtrim('bear  ');"},
        {"replace", "replace(s, from, to)", "replace every occurrence", "SELECT replace('abc', 'b', 'x');"},
        {"concat", "concat(s, ...), s || t", "join strings", "SELECT concat('griz', 'zly');"},
        {"left", "left(s, n)", "first n characters", "SELECT left('grizzly', 4);"},
        {"right", "right(s, n)", "last n characters", "SELECT right('grizzly', 3);"},
        {"reverse", "reverse(s)", "characters in reverse order", "SELECT reverse('abc');"},
        {"repeat", "repeat(s, n)", "s repeated n times", "SELECT repeat('ab', 3);"},
        {"starts_with", "starts_with(s, prefix), prefix(s, prefix)", "whether s starts with prefix",
         "SELECT starts_with('grizzly', 'griz');"},
        {"coalesce", "coalesce(x, ...), ifnull(x, y), nvl(x, y)", "first argument that is not NULL",
         "SELECT coalesce(NULL, 2, 3);"},
        {"nullif", "nullif(x, y)", "NULL if x = y, else x", "SELECT nullif(1, 1);"},
        {"typeof", "typeof(x)", "name of the type of x", "SELECT typeof(1.5);"},
        {"extract", "extract(field FROM date), date_part('field', date)",
         "a field (year, month, day, hour, dow, epoch, ...) of a date or timestamp",
         "SELECT extract(year FROM DATE '2024-03-01');"},
        {"now", "now(), current_date, today()", "the current timestamp or date", "SELECT today();"},
        {"count", "count(*), count(x), count(DISTINCT x)", "number of rows or of non-NULL values",
         "SELECT count(*) FROM range(5) t(i);"},
        {"sum", "sum(x)", "sum of the non-NULL values", "SELECT sum(i) FROM range(5) t(i);"},
        {"avg", "avg(x), mean(x)", "average of the non-NULL values", "SELECT avg(i) FROM range(5) t(i);"},
        {"min", "min(x)", "smallest value", "SELECT min(i) FROM range(5) t(i);"},
        {"max", "max(x)", "largest value", "SELECT max(i) FROM range(5) t(i);"},
        {"string_agg", "string_agg(s, separator), group_concat(s [, separator])", "concatenated values",
         "SELECT string_agg(CAST(i AS VARCHAR), ',') FROM range(3) t(i);"},
        {"bool_and", "bool_and(b), every(b)", "true if every value is true", "SELECT bool_and(i >= 0) FROM range(3) t(i);"},
        {"bool_or", "bool_or(b)", "true if any value is true", "SELECT bool_or(i > 1) FROM range(3) t(i);"},
        {"range", "range([start,] stop [, step]) AS t(i)", "table of integers from start up to stop (exclusive)",
         "SELECT i FROM range(1, 4) t(i);"},
        {"generate_series", "generate_series(start, stop [, step]) AS t(i)",
         "table of integers from start up to stop (inclusive)", "SELECT i FROM generate_series(1, 3) t(i);"},
    };
    return topics;
}

std::string DotCommandsHelp() {
    size_t width = 0;
    for (const DotCommandInfo& command : DotCommandTable()) width = std::max(width, command.usage.size());
    std::string text;
    for (const DotCommandInfo& command : DotCommandTable())
        text += std::string(command.usage) + std::string(width - command.usage.size() + 2, ' ') +
                std::string(command.summary) + "\n";
    return text + "\nSQL statements end with ';'. HELP or .help sql lists them; .help TOPIC shows one statement,\n"
                  "function or dot command with an example; .help functions lists the functions.\n";
}

std::string StatementsHelp() {
    return ListTopics(StatementTopics(), "SQL statements (.help NAME shows syntax and an example):\n",
                      "\nEnd each statement with ';'. Functions: .help functions; dot commands: .help\n");
}

std::string FunctionsHelp() {
    return ListTopics(FunctionTopics(), "Functions (.help NAME shows syntax and an example):\n", "");
}

bool TopicHelp(std::string_view topic, std::string& text) {
    std::string wanted = NormalizeTopic(topic);
    if (wanted == "sql") {
        text = StatementsHelp();
        return true;
    }
    if (wanted == "functions") {
        text = FunctionsHelp();
        return true;
    }
    for (const HelpTopic& entry : StatementTopics()) {
        if (Lower(entry.name) == wanted) {
            text = FormatTopic(entry);
            return true;
        }
    }
    // A statement named by its first word: ".help create" lists every CREATE.
    std::string matches;
    for (const HelpTopic& entry : StatementTopics())
        if (Lower(entry.name).rfind(wanted + " ", 0) == 0) matches += "  " + std::string(entry.name) + "\n";
    if (!matches.empty()) {
        text = "Statements starting with " + std::string(topic) + ":\n" + matches;
        return true;
    }
    for (const HelpTopic& entry : FunctionTopics()) {
        if (entry.name == wanted) {
            text = FormatTopic(entry);
            return true;
        }
    }
    std::string dotted = wanted.empty() || wanted[0] == '.' ? wanted : "." + wanted;
    for (const DotCommandInfo& command : DotCommandTable()) {
        if (command.name == dotted) {
            text = std::string(command.usage) + "\n  " + std::string(command.summary) + "\n" +
                   std::string(DotCommandDetails(command.name));
            return true;
        }
    }
    return false;
}

}  // namespace grizzly::shell
