#include "frontend/parser/parser.hpp"

#include <memory>

#include "GrizzlySQLLexer.h"
#include "GrizzlySQLParser.h"
#include "antlr4-runtime.h"
#include "common/error.hpp"
#include "frontend/parser/ast_builder.hpp"

namespace grizzly::frontend {

namespace {

/// Deeper nesting than this is refused before parsing: the generated parser and
/// the AST builder recurse per level and must not exhaust the thread's stack.
/// Measured: about 3,000 levels fit in 8 MB, so 500 stays safe on 2 MB stacks.
constexpr int kMaxNestingDepth = 500;

/// How much of an offending token an error message quotes.
constexpr size_t kMaxQuotedLength = 60;

std::string Quote(std::string_view text) {
    if (text.size() <= kMaxQuotedLength) return "\"" + std::string(text) + "\"";
    return "\"" + std::string(text.substr(0, kMaxQuotedLength)) + "...\"";
}

/// Lexer errors (a character no token starts with, an unterminated string)
/// become 42601 errors positioned where the bad token starts.
class LexerErrorListener : public antlr4::BaseErrorListener {
public:
    LexerErrorListener(std::string_view sql, const SourceMap& map) : sql_(sql), map_(map) {}

    void syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* /*offending*/, size_t line, size_t column,
                     const std::string& /*msg*/, std::exception_ptr /*e*/) override {
        auto* lexer = static_cast<antlr4::Lexer*>(recognizer);
        size_t start_char = lexer->tokenStartCharIndex;
        size_t stop_char = lexer->getInputStream()->index();
        if (stop_char <= start_char) stop_char = start_char + 1;
        uint32_t begin = map_.ByteOffset(start_char);
        uint32_t end = map_.ByteOffset(stop_char);
        std::string_view text = sql_.substr(begin, end - begin);

        SourcePos pos;
        pos.line = static_cast<uint32_t>(line);
        pos.column = static_cast<uint32_t>(column + 1);
        pos.offset = begin;
        std::string_view lead = text.substr(0, text.size() >= 2 ? 2 : text.size());
        if (lead == "$$") throw Error::SyntaxAt("unterminated dollar-quoted string at or near " + Quote(text), pos);
        if (!text.empty() && (text[0] == '\'' || lead == "E'" || lead == "e'" || lead == "X'" || lead == "x'")) {
            throw Error::SyntaxAt("unterminated quoted string at or near " + Quote(text), pos);
        }
        if (!text.empty() && (text[0] == '"' || text[0] == '`')) {
            throw Error::SyntaxAt("unterminated quoted identifier at or near " + Quote(text), pos);
        }
        throw Error::SyntaxAt("at or near " + Quote(text.substr(0, 1)), pos);
    }

private:
    std::string_view sql_;
    const SourceMap& map_;
};

/// Parser errors (second, full-LL pass only) throw at the first one, naming
/// the offending token as PostgreSQL does.
class ParserErrorListener : public antlr4::BaseErrorListener {
public:
    ParserErrorListener(std::string_view sql, const SourceMap& map) : sql_(sql), map_(map) {}

    void syntaxError(antlr4::Recognizer* /*recognizer*/, antlr4::Token* offending, size_t line, size_t column,
                     const std::string& /*msg*/, std::exception_ptr /*e*/) override {
        SourcePos pos;
        pos.line = static_cast<uint32_t>(line);
        pos.column = static_cast<uint32_t>(column + 1);
        if (offending == nullptr || offending->getType() == antlr4::Token::EOF) {
            pos.offset = static_cast<uint32_t>(sql_.size());
            throw Error::SyntaxAt("at end of input", pos);
        }
        uint32_t begin = map_.ByteOffset(offending->getStartIndex());
        uint32_t end = map_.ByteOffset(offending->getStopIndex() + 1);
        pos.offset = begin;
        throw Error::SyntaxAt("at or near " + Quote(sql_.substr(begin, end - begin)), pos);
    }

private:
    std::string_view sql_;
    const SourceMap& map_;
};

/// Refuses scripts nested deeper than kMaxNestingDepth levels before parsing.
/// A level is a parenthesis, a CASE, or a prefix operator (-, +, ~, NOT) in a
/// run of them: these recurse in the generated parser; binary operator chains
/// do not.
void CheckNesting(antlr4::CommonTokenStream& tokens, const AstBuilder& positions) {
    tokens.fill();
    std::vector<int> runs_before_paren;  // the prefix run open at each '(' or CASE
    int depth = 0;                       // parentheses plus the prefix runs enclosing them
    int run = 0;                         // consecutive prefix-capable operators
    for (antlr4::Token* token : tokens.getTokens()) {
        switch (token->getType()) {
        case GP::LPAREN:
        case GP::CASE:
            runs_before_paren.push_back(run);
            depth += run + 1;
            run = 0;
            break;
        case GP::RPAREN:
        case GP::END:  // closes a CASE; at the end of a trigger body no '(' is open
            if (!runs_before_paren.empty()) {
                depth -= runs_before_paren.back() + 1;
                runs_before_paren.pop_back();
            }
            run = 0;
            break;
        case GP::MINUS:
        case GP::PLUS:
        case GP::TILDE:
        case GP::NOT: ++run; break;
        default: run = 0; break;
        }
        if (depth + run > kMaxNestingDepth) {
            throw Error(SqlState::ProgramLimitExceeded,
                        "statement is too deeply nested (more than " + std::to_string(kMaxNestingDepth) + " levels)",
                        positions.Pos(token));
        }
    }
}

}  // namespace

std::vector<ast::StatementPtr> ParseSql(std::string_view sql) {
    SourceMap map(sql);  // validates UTF-8 before ANTLR decodes it
    AstBuilder builder(sql, map);

    antlr4::ANTLRInputStream input(sql.data(), sql.size());
    grammar::GrizzlySQLLexer lexer(&input);
    LexerErrorListener lexer_errors(sql, map);
    lexer.removeErrorListeners();
    lexer.addErrorListener(&lexer_errors);
    antlr4::CommonTokenStream tokens(&lexer);
    CheckNesting(tokens, builder);

    // First pass: SLL prediction, bailing out at the first error. Nearly all SQL
    // parses here; only input that is wrong (or needs full context) falls back.
    GP parser(&tokens);
    parser.removeErrorListeners();
    auto* interpreter = parser.getInterpreter<antlr4::atn::ParserATNSimulator>();
    interpreter->setPredictionMode(antlr4::atn::PredictionMode::SLL);
    parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
    GP::ScriptContext* tree = nullptr;
    try {
        tree = parser.script();
    } catch (const antlr4::ParseCancellationException&) {
        // Second pass: full LL with the default strategy, whose first report the
        // listener turns into the positioned syntax error.
        tokens.seek(0);
        parser.reset();
        interpreter->setPredictionMode(antlr4::atn::PredictionMode::LL);
        parser.setErrorHandler(std::make_shared<antlr4::DefaultErrorStrategy>());
        ParserErrorListener parser_errors(sql, map);
        parser.addErrorListener(&parser_errors);
        tree = parser.script();
        parser.removeErrorListeners();
    }
    return builder.BuildScript(tree);
}

}  // namespace grizzly::frontend
