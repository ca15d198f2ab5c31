/*
 * GrizzlySQL: the one grammar of the Grizzly SQL dialect (PostgreSQL flavoured,
 * with the SQLite and DuckDB forms the conformance corpus and users expect).
 *
 * Generated at build time by the Debian antlr4 4.7.2 tool for the C++ 4.9
 * runtime; frontend/parser/ turns the parse tree into the AST (frontend/ast.hpp).
 *
 * Rules of thumb kept throughout, so that ordinary SQL parses in SLL mode:
 *  - expressions are layered (OR < AND < NOT < IS < comparison < BETWEEN/IN/LIKE
 *    < other operators < + - < * / % < unary < ::), following PostgreSQL;
 *    BETWEEN bounds are `valueExpr`, so the AND of BETWEEN never competes with
 *    the boolean AND;
 *  - only PostgreSQL's reserved words (plus a few join and predicate words) are
 *    reserved; every other keyword is an `identifier`. Words that may directly
 *    follow an expression or a table (OVER, FILTER, ESCAPE, SET, ...) cannot
 *    be an alias without AS (`bareAlias`);
 *  - keywords are case-insensitive through fragment letters (4.7.2 has no
 *    caseInsensitive option); token names that clash with C/C++ macros carry
 *    a trailing underscore (NULL_, TRUE_, FALSE_, DELETE_).
 */
grammar GrizzlySQL;

// ═══════════════════════════════ statements ═══════════════════════════════

script
    : statement? (SEMI statement?)* EOF
    ;

statement
    : query                 # selectStmt
    | createTableStatement  # createTableStmt
    | createViewStatement   # createViewStmt
    | createIndexStatement  # createIndexStmt
    | createFunctionStatement # createFunctionStmt
    | createMacroStatement  # createMacroStmt
    | createTriggerStatement # createTriggerStmt
    | createDatabaseStatement # createDatabaseStmt
    | createSchemaStatement # createSchemaStmt
    | dropStatement         # dropStmt
    | alterTableStatement   # alterTableStmt
    | insertStatement       # insertStmt
    | updateStatement       # updateStmt
    | deleteStatement       # deleteStmt
    | transactionStatement  # transactionStmt
    | explainStatement      # explainStmt
    | prepareStatement      # prepareStmt
    | executeStatement      # executeStmt
    | deallocateStatement   # deallocateStmt
    | copyStatement         # copyStmt
    | attachStatement       # attachStmt
    | detachStatement       # detachStmt
    | useStatement          # useStmt
    | setStatement          # setStmt
    | resetStatement        # resetStmt
    | pragmaStatement       # pragmaStmt
    | showStatement         # showStmt
    | describeStatement     # describeStmt
    | callStatement         # callStmt
    | checkpointStatement   # checkpointStmt
    | vacuumStatement       # vacuumStmt
    | exportStatement       # exportStmt
    | importStatement       # importStmt
    | backupStatement       # backupStmt
    ;

// ─── CREATE TABLE ───

createTableStatement
    : CREATE (OR REPLACE)? (TEMP | TEMPORARY)? TABLE (IF NOT EXISTS)? qualifiedName
      ( LPAREN tableElement (COMMA tableElement)* RPAREN
      | AS query
      )
    ;

tableElement
    : tableConstraint
    | columnDef
    ;

columnDef
    : identifier typeName? columnConstraint*
    ;

columnConstraint
    : (CONSTRAINT identifier)? columnConstraintBody
    ;

columnConstraintBody
    : NOT NULL_                                                 # notNullConstraint
    | NULL_                                                     # nullConstraint
    | PRIMARY KEY (ASC | DESC)?                                 # primaryKeyConstraint
    | UNIQUE                                                    # uniqueConstraint
    | CHECK LPAREN expr RPAREN                                  # checkConstraint
    | DEFAULT valueExpr                                         # defaultConstraint
    | REFERENCES qualifiedName (LPAREN identifierList RPAREN)? referenceAction*  # referencesConstraint
    | COLLATE identifier                                        # collateConstraint
    ;

tableConstraint
    : (CONSTRAINT identifier)? tableConstraintBody
    ;

tableConstraintBody
    : PRIMARY KEY LPAREN identifierList RPAREN                  # primaryKeyTableConstraint
    | UNIQUE LPAREN identifierList RPAREN                       # uniqueTableConstraint
    | CHECK LPAREN expr RPAREN                                  # checkTableConstraint
    | FOREIGN KEY LPAREN identifierList RPAREN
      REFERENCES qualifiedName (LPAREN identifierList RPAREN)? referenceAction*  # foreignKeyTableConstraint
    ;

referenceAction
    : ON (DELETE_ | UPDATE) (CASCADE | RESTRICT | SET NULL_ | SET DEFAULT | NO ACTION)
    ;

// ─── CREATE VIEW / INDEX / FUNCTION / MACRO / TRIGGER / DATABASE / SCHEMA ───

createViewStatement
    : CREATE (OR REPLACE)? (TEMP | TEMPORARY)? VIEW (IF NOT EXISTS)? qualifiedName
      (LPAREN identifierList RPAREN)? AS query
    ;

createIndexStatement
    : CREATE UNIQUE? INDEX (IF NOT EXISTS)? identifier? ON qualifiedName
      (USING identifier)? LPAREN indexKey (COMMA indexKey)* RPAREN
    ;

indexKey
    : expr (COLLATE identifier)? (ASC | DESC)? (NULLS (FIRST | LAST))?
    ;

createFunctionStatement
    : CREATE (OR REPLACE)? (TEMP | TEMPORARY)? FUNCTION qualifiedName
      LPAREN (functionParam (COMMA functionParam)*)? RPAREN
      (RETURNS typeName)? functionOption*
    ;

functionParam
    : identifier typeName?
    ;

functionOption
    : LANGUAGE (identifier | STRING)                            # languageOption
    | AS (DOLLAR_STRING | expr)                                 # asBodyOption
    | RETURN expr                                               # returnOption
    | identifier                                                # otherFunctionOption
    ;

createMacroStatement
    : CREATE (OR REPLACE)? (TEMP | TEMPORARY)? MACRO qualifiedName
      LPAREN identifierList? RPAREN AS expr
    ;

createTriggerStatement
    : CREATE (TEMP | TEMPORARY)? TRIGGER (IF NOT EXISTS)? identifier
      triggerTiming? triggerEvent ON qualifiedName
      (FOR EACH? (ROW | STATEMENT))?
      (WHEN expr)?
      ( BEGIN triggerBodyStatement (SEMI triggerBodyStatement)* SEMI? END
      | EXECUTE (FUNCTION | PROCEDURE) qualifiedName LPAREN RPAREN
      )
    ;

triggerTiming
    : BEFORE
    | AFTER
    | INSTEAD OF
    ;

triggerEvent
    : INSERT
    | DELETE_
    | UPDATE (OF identifierList)?
    ;

triggerBodyStatement
    : query
    | insertStatement
    | updateStatement
    | deleteStatement
    ;

createDatabaseStatement
    : CREATE DATABASE (IF NOT EXISTS)? (STRING | identifier)
    ;

createSchemaStatement
    : CREATE SCHEMA (IF NOT EXISTS)? qualifiedName
    ;

// ─── DROP / ALTER ───

dropStatement
    : DROP dropObject (IF EXISTS)? dropName (COMMA dropName)* (ON qualifiedName)? (CASCADE | RESTRICT)?
    ;

dropObject
    : TABLE
    | VIEW
    | INDEX
    | TRIGGER
    | FUNCTION
    | MACRO TABLE?
    | DATABASE
    | SCHEMA
    ;

dropName
    : qualifiedName (LPAREN (typeName (COMMA typeName)*)? RPAREN)?
    ;

alterTableStatement
    : ALTER TABLE (IF EXISTS)? qualifiedName alterAction
    ;

alterAction
    : ADD COLUMN? (IF NOT EXISTS)? columnDef                               # addColumnAction
    | ADD tableConstraint                                                 # addConstraintAction
    | DROP COLUMN? (IF EXISTS)? identifier (CASCADE | RESTRICT)?          # dropColumnAction
    | RENAME COLUMN? identifier TO identifier                             # renameColumnAction
    | RENAME TO identifier                                                # renameTableAction
    | ALTER COLUMN? identifier (SET DATA)? TYPE typeName (USING expr)?    # alterTypeAction
    | ALTER COLUMN? identifier SET DEFAULT valueExpr                      # setDefaultAction
    | ALTER COLUMN? identifier DROP DEFAULT                               # dropDefaultAction
    | ALTER COLUMN? identifier SET NOT NULL_                              # setNotNullAction
    | ALTER COLUMN? identifier DROP NOT NULL_                             # dropNotNullAction
    ;

// ─── DML ───

insertStatement
    : (INSERT (OR conflictAction)? | REPLACE) INTO qualifiedName (AS identifier)?
      (LPAREN identifierList RPAREN)?
      (query | DEFAULT VALUES)
      onConflictClause?
      returningClause?
    ;

conflictAction
    : REPLACE
    | IGNORE
    | ABORT
    | FAIL
    | ROLLBACK
    ;

onConflictClause
    : ON CONFLICT (LPAREN identifierList RPAREN)? DO NOTHING
    ;

updateStatement
    : UPDATE qualifiedName tableAliasName? SET setClause (COMMA setClause)*
      fromClause? whereClause? returningClause?
    ;

setClause
    : identifier (DOT identifier)? EQ (DEFAULT | expr)
    ;

deleteStatement
    : DELETE_ FROM qualifiedName tableAliasName? (USING tableRef (COMMA tableRef)*)?
      whereClause? returningClause?
    ;

returningClause
    : RETURNING selectItem (COMMA selectItem)*
    ;

// ─── transactions, EXPLAIN, prepared statements ───

transactionStatement
    : BEGIN (TRANSACTION | WORK)?                               # beginTransaction
    | START TRANSACTION                                         # startTransaction
    | COMMIT (TRANSACTION | WORK)?                              # commitTransaction
    | END (TRANSACTION | WORK)?                                 # endTransaction
    | ROLLBACK (TRANSACTION | WORK)?                            # rollbackTransaction
    | ABORT (TRANSACTION | WORK)?                               # abortTransaction
    ;

explainStatement
    : EXPLAIN (ANALYZE | CODEGEN)? statement
    ;

prepareStatement
    : PREPARE identifier (LPAREN typeName (COMMA typeName)* RPAREN)? AS statement
    ;

executeStatement
    : EXECUTE identifier (LPAREN exprList? RPAREN)?
    ;

deallocateStatement
    : DEALLOCATE PREPARE? (ALL | identifier)
    ;

// ─── COPY / ATTACH / DETACH / USE / EXPORT / IMPORT ───

copyStatement
    : COPY qualifiedName (LPAREN identifierList RPAREN)? (FROM | TO) copyTarget copyOptions?
    | COPY LPAREN query RPAREN TO copyTarget copyOptions?
    ;

copyTarget
    : STRING
    | identifier
    ;

copyOptions
    : WITH? LPAREN copyOption (COMMA copyOption)* RPAREN
    | WITH? legacyCopyOption+
    ;

copyOption
    : copyOptionName (copyOptionValue)?
    ;

copyOptionName
    : identifier
    | NULL_
    | DEFAULT
    ;

copyOptionValue
    : expr
    | LPAREN exprList RPAREN
    | STAR
    ;

legacyCopyOption
    : NULL_ AS? STRING
    | identifier AS? (STRING | signedNumber)
    | identifier
    ;

attachStatement
    : ATTACH DATABASE? (IF NOT EXISTS)? STRING (AS identifier)?
      (LPAREN copyOption (COMMA copyOption)* RPAREN)?
    ;

detachStatement
    : DETACH DATABASE? (IF EXISTS)? identifier
    ;

useStatement
    : USE qualifiedName
    ;

exportStatement
    : EXPORT DATABASE (identifier)? STRING (WITH? LPAREN copyOption (COMMA copyOption)* RPAREN)?
    ;

importStatement
    : IMPORT DATABASE STRING
    ;

// ─── settings and introspection ───

setStatement
    : SET (LOCAL | SESSION | GLOBAL)? qualifiedName (EQ | TO) (DEFAULT | ON | expr)
    ;

resetStatement
    : RESET (ALL | qualifiedName)
    ;

pragmaStatement
    : PRAGMA qualifiedName (EQ expr | LPAREN exprList? RPAREN)?
    ;

showStatement
    : SHOW ALL? TABLES (FROM qualifiedName)?                    # showTables
    | SHOW DATABASES                                            # showDatabases
    | SHOW ALL                                                  # showAll
    | SHOW COLUMNS FROM qualifiedName                           # showColumns
    | SHOW qualifiedName                                        # showName
    ;

describeStatement
    : (DESCRIBE | DESC) query                                   # describeQuery
    | (DESCRIBE | DESC) qualifiedName                           # describeTable
    ;

callStatement
    : CALL qualifiedName LPAREN (functionArg (COMMA functionArg)*)? RPAREN
    ;

checkpointStatement
    : FORCE? CHECKPOINT identifier?
    ;

vacuumStatement
    : VACUUM ANALYZE? (qualifiedName (LPAREN identifierList RPAREN)?)?
    ;

backupStatement
    : BACKUP (DATABASE? identifier)? TO STRING
    ;

// ═══════════════════════════════ queries ═══════════════════════════════

query
    : withClause? setExpr orderByClause? limitClause?
    ;

withClause
    : WITH RECURSIVE? commonTableExpr (COMMA commonTableExpr)*
    ;

commonTableExpr
    : identifier (LPAREN identifierList RPAREN)? AS (NOT? MATERIALIZED)? LPAREN query RPAREN
    ;

// INTERSECT binds tighter than UNION and EXCEPT (listed first = higher precedence).
setExpr
    : queryPrimary                                              # primarySetExpr
    | setExpr INTERSECT setQuantifier? setExpr                  # intersectSetExpr
    | setExpr op=(UNION | EXCEPT) setQuantifier? setExpr        # unionSetExpr
    ;

setQuantifier
    : ALL
    | DISTINCT
    ;

queryPrimary
    : selectCore                                                # selectQueryPrimary
    | valuesClause                                              # valuesQueryPrimary
    | LPAREN query RPAREN                                       # parenQueryPrimary
    | TABLE qualifiedName                                       # tableQueryPrimary
    ;

valuesClause
    : VALUES valuesRow (COMMA valuesRow)*
    ;

valuesRow
    : LPAREN valuesItem (COMMA valuesItem)* RPAREN
    ;

// DEFAULT is meaningful only in INSERT ... VALUES; the binder refuses it elsewhere.
valuesItem
    : DEFAULT
    | expr
    ;

selectCore
    : SELECT (ALL | DISTINCT (ON LPAREN exprList RPAREN)?)? selectItem (COMMA selectItem)*
      fromClause?
      whereClause?
      groupByClause?
      havingClause?
      windowClause?
      qualifyClause?
    ;

selectItem
    : STAR                                                      # starSelectItem
    | identifier (DOT identifier)* DOT STAR                     # qualifiedStarSelectItem
    | expr (AS aliasName | bareAlias)?                          # exprSelectItem
    ;

fromClause
    : FROM tableRef (COMMA tableRef)*
    ;

whereClause
    : WHERE expr
    ;

groupByClause
    : GROUP BY (ALL | exprList)
    ;

havingClause
    : HAVING expr
    ;

windowClause
    : WINDOW windowDefinition (COMMA windowDefinition)*
    ;

windowDefinition
    : identifier AS LPAREN windowSpec RPAREN
    ;

qualifyClause
    : QUALIFY expr
    ;

orderByClause
    : ORDER BY orderItem (COMMA orderItem)*
    ;

orderItem
    : expr (ASC | DESC)? (NULLS (FIRST | LAST))?
    ;

limitClause
    : LIMIT (ALL | expr) (OFFSET expr (ROW | ROWS)? | COMMA expr)?                # limitOffset
    | OFFSET expr (ROW | ROWS)? (LIMIT (ALL | expr) | fetchClause)?                # offsetLimit
    | fetchClause                                                                 # fetchOnly
    ;

fetchClause
    : FETCH (FIRST | NEXT) expr? (ROW | ROWS) ONLY
    ;

// ─── FROM ───

// Explicit joins bind tighter than the comma list and associate to the left.
tableRef
    : tablePrimary joinClause*
    ;

joinClause
    : CROSS JOIN tablePrimary                                   # crossJoin
    | NATURAL joinType? JOIN tablePrimary                       # naturalJoin
    | joinType? JOIN tablePrimary joinCondition?                # qualifiedJoin
    ;

joinType
    : INNER
    | (LEFT | RIGHT | FULL) OUTER?
    ;

joinCondition
    : ON expr
    | USING LPAREN identifierList RPAREN
    ;

tablePrimary
    : qualifiedName LPAREN (functionArg (COMMA functionArg)*)? RPAREN tableAlias?   # functionTable
    | LATERAL qualifiedName LPAREN (functionArg (COMMA functionArg)*)? RPAREN tableAlias? # lateralFunctionTable
    | qualifiedName tableAlias? indexHint?                     # baseTable
    | LATERAL? LPAREN query RPAREN tableAlias?                  # subqueryTable
    | LPAREN tableRef RPAREN tableAlias?                        # parenTable
    ;

// SQLite's INDEXED BY / NOT INDEXED: accepted and ignored.
indexHint
    : INDEXED BY identifier
    | NOT INDEXED
    ;

tableAlias
    : (AS aliasName | bareAlias) (LPAREN identifierList RPAREN)?
    ;

tableAliasName
    : AS aliasName
    | bareAlias
    ;

// ═══════════════════════════════ expressions ═══════════════════════════════

expr
    : orExpr
    ;

orExpr
    : andExpr (OR andExpr)*
    ;

andExpr
    : notExpr (AND notExpr)*
    ;

notExpr
    : NOT notExpr
    | isExpr
    ;

isExpr
    : compExpr isSuffix*
    ;

isSuffix
    : IS NOT? NULL_                                             # isNullSuffix
    | ISNULL                                                    # isnullSuffix
    | NOTNULL                                                   # notnullSuffix
    | IS NOT? (TRUE_ | FALSE_ | UNKNOWN)                        # isTruthSuffix
    | IS NOT? DISTINCT FROM compExpr                            # isDistinctSuffix
    ;

compExpr
    : predExpr (compOp compOperand)*
    ;

compOp
    : EQ | EQ2 | NEQ | NEQ2 | LT | LTE | GT | GTE
    ;

compOperand
    : quantifier=(ANY | SOME | ALL) LPAREN query RPAREN
    | predExpr
    ;

predExpr
    : valueExpr predSuffix?
    ;

predSuffix
    : NOT? BETWEEN (SYMMETRIC | ASYMMETRIC)? valueExpr AND valueExpr   # betweenSuffix
    | NOT? IN LPAREN query RPAREN                                     # inSubquerySuffix
    | NOT? IN LPAREN exprList? RPAREN                                 # inListSuffix
    | NOT? op=(LIKE | ILIKE | GLOB) valueExpr (ESCAPE valueExpr)?     # likeSuffix
    | NOT? SIMILAR TO valueExpr (ESCAPE valueExpr)?                   # similarSuffix
    ;

// Arithmetic and other operators: ANTLR precedence climbing, highest first.
valueExpr
    : primary                                                       # primaryValue
    | valueExpr CAST_OP typeName                                    # castOpValue
    | op=(PLUS | MINUS | TILDE) valueExpr                           # unaryValue
    | valueExpr op=(STAR | SLASH | PERCENT | DIV | SLASH2) valueExpr  # mulValue
    | valueExpr op=(PLUS | MINUS) valueExpr                         # addValue
    | valueExpr op=(CONCAT | AMP | PIPE | HASH | SHL | SHR) valueExpr  # otherOpValue
    ;

primary
    : literal                                                               # literalPrimary
    | PARAM                                                                 # paramPrimary
    | QUESTION                                                              # questionPrimary
    | LPAREN query RPAREN                                                   # subqueryPrimary
    | LPAREN expr RPAREN                                                    # parenPrimary
    | EXISTS LPAREN query RPAREN                                            # existsPrimary
    | CASE operand=expr? caseWhen+ (ELSE elseExpr=expr)? END                # casePrimary
    | kind=(CAST | TRY_CAST) LPAREN expr AS typeName RPAREN                 # castPrimary
    | EXTRACT LPAREN extractField FROM expr RPAREN                          # extractPrimary
    | SUBSTRING LPAREN expr (FROM expr)? (FOR expr)? RPAREN                 # substringPrimary
    | POSITION LPAREN valueExpr IN valueExpr RPAREN                         # positionPrimary
    | TRIM LPAREN side=(BOTH | LEADING | TRAILING)? (chars=expr? FROM)? source=expr RPAREN  # trimPrimary
    | kind=(CURRENT_DATE | CURRENT_TIMESTAMP | CURRENT_TIME)                # currentPrimary
    | functionCall                                                          # functionPrimary
    | identifier (DOT identifier)*                                          # columnPrimary
    ;

caseWhen
    : WHEN expr THEN expr
    ;

extractField
    : identifier
    | STRING
    ;

functionCall
    : functionName LPAREN STAR RPAREN filterClause? overClause?             # starCall
    | functionName LPAREN (quantifier=(DISTINCT | ALL)? functionArg (COMMA functionArg)* orderByClause?)? RPAREN
      withinGroupClause? filterClause? overClause?                          # regularCall
    ;

functionName
    : (identifier DOT)? (identifier | LEFT | RIGHT)
    ;

functionArg
    : (identifier (ARROW | COLON_EQ))? expr
    ;

withinGroupClause
    : WITHIN GROUP LPAREN orderByClause RPAREN
    ;

filterClause
    : FILTER LPAREN WHERE expr RPAREN
    ;

overClause
    : OVER identifier
    | OVER LPAREN windowSpec RPAREN
    ;

windowSpec
    : identifier? (PARTITION BY exprList)? orderByClause? frameClause?
    ;

frameClause
    : unit=(ROWS | RANGE | GROUPS) (BETWEEN frameBound AND frameBound | frameBound)
    ;

frameBound
    : UNBOUNDED PRECEDING                                       # unboundedPrecedingBound
    | UNBOUNDED FOLLOWING                                       # unboundedFollowingBound
    | CURRENT ROW                                               # currentRowBound
    | valueExpr dir=(PRECEDING | FOLLOWING)                     # offsetBound
    ;

literal
    : INTEGER_LITERAL                                           # integerLiteral
    | DECIMAL_LITERAL                                           # decimalLiteral
    | FLOAT_LITERAL                                             # floatLiteral
    | HEX_INTEGER                                               # hexIntegerLiteral
    | STRING                                                    # stringLiteral
    | ESCAPE_STRING                                             # escapeStringLiteral
    | HEX_STRING                                                # hexStringLiteral
    | DOLLAR_STRING                                             # dollarStringLiteral
    | TRUE_                                                     # trueLiteral
    | FALSE_                                                    # falseLiteral
    | NULL_                                                     # nullLiteral
    | DATE STRING                                               # dateLiteral
    | TIMESTAMP STRING                                          # timestampLiteral
    | INTERVAL STRING intervalUnit?                             # intervalLiteral
    | INTERVAL (INTEGER_LITERAL | DECIMAL_LITERAL) intervalUnit # intervalLiteral
    ;

intervalUnit
    : YEAR | YEARS | MONTH | MONTHS | WEEK | WEEKS | DAY | DAYS | HOUR | HOURS
    | MINUTE | MINUTES | SECOND | SECONDS | MILLISECOND | MILLISECONDS | MICROSECOND | MICROSECONDS
    ;

signedNumber
    : MINUS? (INTEGER_LITERAL | DECIMAL_LITERAL | FLOAT_LITERAL)
    ;

typeName
    : DOUBLE PRECISION?                                         # doubleType
    | CHARACTER VARYING? typeModifiers?                         # characterType
    | kind=(TIMESTAMP | TIME) typeModifiers? (with=(WITH | WITHOUT) TIME ZONE)?  # timeType
    | identifier typeModifiers? (UNSIGNED)?                     # namedType
    ;

typeModifiers
    : LPAREN INTEGER_LITERAL (COMMA INTEGER_LITERAL)* RPAREN
    ;

exprList
    : expr (COMMA expr)*
    ;

identifierList
    : identifier (COMMA identifier)*
    ;

qualifiedName
    : identifier (DOT identifier)*
    ;

// ─── identifiers ───

identifier
    : IDENTIFIER
    | QUOTED_IDENTIFIER
    | BACKTICK_IDENTIFIER
    | nonReserved
    | nonReservedNoAlias
    ;

// An alias written after AS: any identifier, or a string ('alias').
aliasName
    : identifier
    | STRING
    ;

// An alias written without AS: no word that could continue the expression or clause.
bareAlias
    : IDENTIFIER
    | QUOTED_IDENTIFIER
    | BACKTICK_IDENTIFIER
    | nonReserved
    ;

// Keywords usable as names, also as aliases without AS.
nonReserved
    : ABORT | ACTION | ADD | AFTER | ALTER | ANALYZE | ATTACH | BACKUP | BEFORE | BEGIN | BY | CALL | CASCADE
    | CHARACTER | CHECKPOINT | CODEGEN | COLUMNS | COMMIT | CONFLICT | COPY | CURRENT | DATA | DATABASE
    | DATABASES | DATE | DAY | DAYS | DEALLOCATE | DESCRIBE | DETACH | DOUBLE | DROP | EACH | EXECUTE
    | EXPLAIN | EXPORT | EXTRACT | FAIL | FIRST | FOLLOWING | FORCE | FUNCTION | GLOBAL | GROUPS | HOUR
    | HOURS | IF | IGNORE | IMPORT | INDEX | INSTEAD | INTERVAL | KEY | LANGUAGE | LAST | LOCAL
    | MACRO | MATERIALIZED | MICROSECOND | MICROSECONDS | MILLISECOND | MILLISECONDS | MINUTE | MINUTES
    | MONTH | MONTHS | NEXT | NO | NOTHING | NULLS | OF | ONLY | PARTITION | POSITION | PRAGMA | PRECEDING
    | PRECISION | PREPARE | PROCEDURE | RANGE | RECURSIVE | RENAME | REPLACE | RESET | RESTRICT | RETURN
    | RETURNS | ROLLBACK | ROW | ROWS | SCHEMA | SECOND | SECONDS | SESSION | SHOW | START | STATEMENT
    | SUBSTRING | TABLES | TEMP | TEMPORARY | TIES | TIME | TIMESTAMP | TRANSACTION | TRIGGER | TRIM | TYPE
    | UNBOUNDED | UNKNOWN | UNSIGNED | USE | VACUUM | VALUES | VARYING | VIEW | WEEK | WEEKS | WITHOUT
    | WORK | YEAR | YEARS | ZONE
    ;

// Keywords usable as names but not as aliases without AS: they may follow an
// expression (OVER, FILTER, WITHIN, ESCAPE, DIV) or a table (SET in UPDATE, INDEXED BY).
nonReservedNoAlias
    : DIV | ESCAPE | FILTER | INDEXED | OVER | SET | WITHIN
    ;

// ═══════════════════════════════ lexer ═══════════════════════════════

// Keywords (alphabetical). Reserved: see `identifier` above.
ABORT: A B O R T;
ACTION: A C T I O N;
ADD: A D D;
AFTER: A F T E R;
ALL: A L L;
ALTER: A L T E R;
ANALYZE: A N A L Y Z E | A N A L Y S E;
AND: A N D;
ANY: A N Y;
AS: A S;
ASC: A S C;
ASYMMETRIC: A S Y M M E T R I C;
ATTACH: A T T A C H;
BACKUP: B A C K U P;
BEFORE: B E F O R E;
BEGIN: B E G I N;
BETWEEN: B E T W E E N;
BOTH: B O T H;
BY: B Y;
CALL: C A L L;
CASCADE: C A S C A D E;
CASE: C A S E;
CAST: C A S T;
CHARACTER: C H A R A C T E R;
CHECK: C H E C K;
CHECKPOINT: C H E C K P O I N T;
CODEGEN: C O D E G E N;
COLLATE: C O L L A T E;
COLUMN: C O L U M N;
COLUMNS: C O L U M N S;
COMMIT: C O M M I T;
CONFLICT: C O N F L I C T;
CONSTRAINT: C O N S T R A I N T;
COPY: C O P Y;
CREATE: C R E A T E;
CROSS: C R O S S;
CURRENT: C U R R E N T;
CURRENT_DATE: C U R R E N T '_' D A T E;
CURRENT_TIME: C U R R E N T '_' T I M E;
CURRENT_TIMESTAMP: C U R R E N T '_' T I M E S T A M P;
DATA: D A T A;
DATABASE: D A T A B A S E;
DATABASES: D A T A B A S E S;
DATE: D A T E;
DAY: D A Y;
DAYS: D A Y S;
DEALLOCATE: D E A L L O C A T E;
DEFAULT: D E F A U L T;
DELETE_: D E L E T E;
DESC: D E S C;
DESCRIBE: D E S C R I B E;
DETACH: D E T A C H;
DISTINCT: D I S T I N C T;
DIV: D I V;
DO: D O;
DOUBLE: D O U B L E;
DROP: D R O P;
EACH: E A C H;
ELSE: E L S E;
END: E N D;
ESCAPE: E S C A P E;
EXCEPT: E X C E P T;
EXECUTE: E X E C U T E;
EXISTS: E X I S T S;
EXPLAIN: E X P L A I N;
EXPORT: E X P O R T;
EXTRACT: E X T R A C T;
FAIL: F A I L;
FALSE_: F A L S E;
FETCH: F E T C H;
FILTER: F I L T E R;
FIRST: F I R S T;
FOLLOWING: F O L L O W I N G;
FOR: F O R;
FORCE: F O R C E;
FOREIGN: F O R E I G N;
FROM: F R O M;
FULL: F U L L;
FUNCTION: F U N C T I O N;
GLOB: G L O B;
GLOBAL: G L O B A L;
GROUP: G R O U P;
GROUPS: G R O U P S;
HAVING: H A V I N G;
HOUR: H O U R;
HOURS: H O U R S;
IF: I F;
IGNORE: I G N O R E;
ILIKE: I L I K E;
IMPORT: I M P O R T;
IN: I N;
INDEX: I N D E X;
INDEXED: I N D E X E D;
INNER: I N N E R;
INSERT: I N S E R T;
INSTEAD: I N S T E A D;
INTERSECT: I N T E R S E C T;
INTERVAL: I N T E R V A L;
INTO: I N T O;
IS: I S;
ISNULL: I S N U L L;
JOIN: J O I N;
KEY: K E Y;
LANGUAGE: L A N G U A G E;
LAST: L A S T;
LATERAL: L A T E R A L;
LEADING: L E A D I N G;
LEFT: L E F T;
LIKE: L I K E;
LIMIT: L I M I T;
LOCAL: L O C A L;
MACRO: M A C R O;
MATERIALIZED: M A T E R I A L I Z E D;
MICROSECOND: M I C R O S E C O N D;
MICROSECONDS: M I C R O S E C O N D S;
MILLISECOND: M I L L I S E C O N D;
MILLISECONDS: M I L L I S E C O N D S;
MINUTE: M I N U T E;
MINUTES: M I N U T E S;
MONTH: M O N T H;
MONTHS: M O N T H S;
NATURAL: N A T U R A L;
NEXT: N E X T;
NO: N O;
NOT: N O T;
NOTHING: N O T H I N G;
NOTNULL: N O T N U L L;
NULL_: N U L L;
NULLS: N U L L S;
OF: O F;
OFFSET: O F F S E T;
ON: O N;
ONLY: O N L Y;
OR: O R;
ORDER: O R D E R;
OUTER: O U T E R;
OVER: O V E R;
PARTITION: P A R T I T I O N;
POSITION: P O S I T I O N;
PRAGMA: P R A G M A;
PRECEDING: P R E C E D I N G;
PRECISION: P R E C I S I O N;
PREPARE: P R E P A R E;
PRIMARY: P R I M A R Y;
PROCEDURE: P R O C E D U R E;
QUALIFY: Q U A L I F Y;
RANGE: R A N G E;
RECURSIVE: R E C U R S I V E;
REFERENCES: R E F E R E N C E S;
RENAME: R E N A M E;
REPLACE: R E P L A C E;
RESET: R E S E T;
RESTRICT: R E S T R I C T;
RETURN: R E T U R N;
RETURNING: R E T U R N I N G;
RETURNS: R E T U R N S;
RIGHT: R I G H T;
ROLLBACK: R O L L B A C K;
ROW: R O W;
ROWS: R O W S;
SCHEMA: S C H E M A;
SECOND: S E C O N D;
SECONDS: S E C O N D S;
SELECT: S E L E C T;
SESSION: S E S S I O N;
SET: S E T;
SHOW: S H O W;
SIMILAR: S I M I L A R;
SOME: S O M E;
START: S T A R T;
STATEMENT: S T A T E M E N T;
SUBSTRING: S U B S T R I N G;
SYMMETRIC: S Y M M E T R I C;
TABLE: T A B L E;
TABLES: T A B L E S;
TEMP: T E M P;
TEMPORARY: T E M P O R A R Y;
THEN: T H E N;
TIES: T I E S;
TIME: T I M E;
TIMESTAMP: T I M E S T A M P;
TO: T O;
TRAILING: T R A I L I N G;
TRANSACTION: T R A N S A C T I O N;
TRIGGER: T R I G G E R;
TRIM: T R I M;
TRUE_: T R U E;
TRY_CAST: T R Y '_' C A S T;
TYPE: T Y P E;
UNBOUNDED: U N B O U N D E D;
UNION: U N I O N;
UNIQUE: U N I Q U E;
UNKNOWN: U N K N O W N;
UNSIGNED: U N S I G N E D;
UPDATE: U P D A T E;
USE: U S E;
USING: U S I N G;
VACUUM: V A C U U M;
VALUES: V A L U E S;
VARYING: V A R Y I N G;
VIEW: V I E W;
WEEK: W E E K;
WEEKS: W E E K S;
WHEN: W H E N;
WHERE: W H E R E;
WINDOW: W I N D O W;
WITH: W I T H;
WITHIN: W I T H I N;
WITHOUT: W I T H O U T;
WORK: W O R K;
YEAR: Y E A R;
YEARS: Y E A R S;
ZONE: Z O N E;

// Punctuation and operators.
SEMI: ';';
COMMA: ',';
DOT: '.';
LPAREN: '(';
RPAREN: ')';
CAST_OP: '::';
COLON_EQ: ':=';
ARROW: '=>';
EQ2: '==';
EQ: '=';
NEQ: '<>';
NEQ2: '!=';
LTE: '<=';
GTE: '>=';
SHL: '<<';
SHR: '>>';
LT: '<';
GT: '>';
CONCAT: '||';
PIPE: '|';
AMP: '&';
HASH: '#';
TILDE: '~';
PLUS: '+';
MINUS: '-';
STAR: '*';
SLASH2: '//';
SLASH: '/';
PERCENT: '%';
QUESTION: '?';

// Literals.
HEX_INTEGER: '0' [xX] HEX_DIGIT+;
FLOAT_LITERAL: (DIGIT+ ('.' DIGIT*)? | '.' DIGIT+) [eE] [+-]? DIGIT+;
DECIMAL_LITERAL: DIGIT+ '.' DIGIT* | '.' DIGIT+;
INTEGER_LITERAL: DIGIT+;
STRING: '\'' (~'\'' | '\'\'')* '\'';
ESCAPE_STRING: [eE] '\'' (~['\\] | '\\' . | '\'\'')* '\'';
HEX_STRING: [xX] '\'' HEX_DIGIT* '\'';
DOLLAR_STRING: '$$' .*? '$$';
PARAM: '$' DIGIT+;

// Identifiers: plain (folded to lower case by the AST builder), "quoted" and `backticked`.
IDENTIFIER: [a-zA-Z_\u0080-\uFFFF] [a-zA-Z_0-9$\u0080-\uFFFF]*;
QUOTED_IDENTIFIER: '"' (~'"' | '""')* '"';
BACKTICK_IDENTIFIER: '`' (~'`' | '``')* '`';

LINE_COMMENT: '--' ~[\r\n]* -> skip;
BLOCK_COMMENT: '/*' .*? '*/' -> skip;
WHITESPACE: [ \t\r\n\f\u000B]+ -> skip;

fragment DIGIT: [0-9];
fragment HEX_DIGIT: [0-9a-fA-F];
fragment A: [aA];
fragment B: [bB];
fragment C: [cC];
fragment D: [dD];
fragment E: [eE];
fragment F: [fF];
fragment G: [gG];
fragment H: [hH];
fragment I: [iI];
fragment J: [jJ];
fragment K: [kK];
fragment L: [lL];
fragment M: [mM];
fragment N: [nN];
fragment O: [oO];
fragment P: [pP];
fragment Q: [qQ];
fragment R: [rR];
fragment S: [sS];
fragment T: [tT];
fragment U: [uU];
fragment V: [vV];
fragment W: [wW];
fragment X: [xX];
fragment Y: [yY];
fragment Z: [zZ];
