#include "frontend/parser/ast_builder.hpp"

#include "common/error.hpp"

namespace grizzly::frontend {

namespace {

/// Length of the UTF-8 sequence starting with `lead`, or 0 if `lead` cannot start one.
size_t Utf8SequenceLength(unsigned char lead) {
    if (lead < 0x80) return 1;
    if ((lead & 0xE0) == 0xC0) return lead >= 0xC2 ? 2 : 0;
    if ((lead & 0xF0) == 0xE0) return 3;
    if ((lead & 0xF8) == 0xF0) return lead <= 0xF4 ? 4 : 0;
    return 0;
}

/// Position of byte `offset` for an error found before any token exists.
SourcePos BytePos(std::string_view sql, size_t offset) {
    SourcePos pos;
    pos.line = 1;
    pos.column = 1;
    for (size_t idx = 0; idx < offset; ++idx) {
        if (sql[idx] == '\n') {
            ++pos.line;
            pos.column = 1;
        } else if ((static_cast<unsigned char>(sql[idx]) & 0xC0) != 0x80) {
            ++pos.column;
        }
    }
    pos.offset = static_cast<uint32_t>(offset);
    return pos;
}

}  // namespace

std::string AsciiLower(std::string_view text) {
    std::string out(text);
    for (char& ch : out) {
        if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    }
    return out;
}

SourceMap::SourceMap(std::string_view sql) : size_(sql.size()) {
    size_t idx = 0;
    while (idx < sql.size() && static_cast<unsigned char>(sql[idx]) < 0x80) ++idx;
    if (idx == sql.size()) return;  // pure ASCII: character index == byte offset

    byte_offsets_.reserve(sql.size() + 1);
    for (size_t ascii_idx = 0; ascii_idx < idx; ++ascii_idx) byte_offsets_.push_back(static_cast<uint32_t>(ascii_idx));
    while (idx < sql.size()) {
        size_t len = Utf8SequenceLength(static_cast<unsigned char>(sql[idx]));
        bool valid = len != 0 && idx + len <= sql.size();
        for (size_t cont = 1; valid && cont < len; ++cont) {
            valid = (static_cast<unsigned char>(sql[idx + cont]) & 0xC0) == 0x80;
        }
        if (!valid) throw Error::SyntaxAt("invalid UTF-8 byte sequence", BytePos(sql, idx));
        byte_offsets_.push_back(static_cast<uint32_t>(idx));
        idx += len;
    }
    byte_offsets_.push_back(static_cast<uint32_t>(sql.size()));
}

SourcePos AstBuilder::Pos(antlr4::Token* token) const {
    SourcePos pos;
    if (token == nullptr) return pos;
    pos.line = static_cast<uint32_t>(token->getLine());
    pos.column = static_cast<uint32_t>(token->getCharPositionInLine() + 1);
    pos.offset = map_.ByteOffset(token->getStartIndex());
    return pos;
}

std::string_view AstBuilder::TokenText(antlr4::Token* token) const {
    uint32_t begin = map_.ByteOffset(token->getStartIndex());
    uint32_t end = map_.ByteOffset(token->getStopIndex() + 1);
    return sql_.substr(begin, end - begin);
}

std::string AstBuilder::Text(antlr4::ParserRuleContext* ctx) const {
    antlr4::Token* start = ctx->getStart();
    antlr4::Token* stop = ctx->getStop();
    if (start == nullptr || stop == nullptr || stop->getTokenIndex() < start->getTokenIndex()) return {};
    uint32_t begin = map_.ByteOffset(start->getStartIndex());
    uint32_t end = map_.ByteOffset(stop->getStopIndex() + 1);
    return std::string(sql_.substr(begin, end - begin));
}

std::string AstBuilder::Ident(antlr4::Token* token) const {
    std::string_view text = TokenText(token);
    switch (token->getType()) {
    case GP::QUOTED_IDENTIFIER:
    case GP::BACKTICK_IDENTIFIER: {
        // Strip the quotes; a doubled quote inside stands for one.
        char quote = text.front();
        std::string out;
        out.reserve(text.size());
        for (size_t idx = 1; idx + 1 < text.size(); ++idx) {
            out.push_back(text[idx]);
            if (text[idx] == quote) ++idx;
        }
        return out;
    }
    default:
        return AsciiLower(text);
    }
}

std::vector<std::string> AstBuilder::Names(GP::QualifiedNameContext* ctx) const {
    std::vector<std::string> names;
    for (auto* part : ctx->identifier()) names.push_back(Ident(part));
    return names;
}

std::vector<std::string> AstBuilder::Names(GP::IdentifierListContext* ctx) const {
    std::vector<std::string> names;
    if (ctx == nullptr) return names;
    for (auto* part : ctx->identifier()) names.push_back(Ident(part));
    return names;
}

std::string AstBuilder::AliasName(GP::AliasNameContext* ctx) const {
    if (ctx->identifier() != nullptr) return Ident(ctx->identifier());
    // 'alias': the string's content, as written
    std::string_view text = TokenText(ctx->STRING()->getSymbol());
    std::string out;
    for (size_t idx = 1; idx + 1 < text.size(); ++idx) {
        out.push_back(text[idx]);
        if (text[idx] == '\'') ++idx;
    }
    return out;
}

ast::TypeName AstBuilder::BuildTypeName(GP::TypeNameContext* ctx) const {
    ast::TypeName type;
    type.pos = Pos(ctx);
    GP::TypeModifiersContext* mods = nullptr;
    if (auto* dbl = dynamic_cast<GP::DoubleTypeContext*>(ctx)) {
        type.name = dbl->PRECISION() != nullptr ? "double precision" : "double";
    } else if (auto* chr = dynamic_cast<GP::CharacterTypeContext*>(ctx)) {
        type.name = chr->VARYING() != nullptr ? "character varying" : "character";
        mods = chr->typeModifiers();
    } else if (auto* tm = dynamic_cast<GP::TimeTypeContext*>(ctx)) {
        type.name = tm->kind->getType() == GP::TIMESTAMP ? "timestamp" : "time";
        if (tm->with != nullptr) type.name += tm->with->getType() == GP::WITH ? " with time zone" : " without time zone";
        mods = tm->typeModifiers();
    } else {
        auto* named = static_cast<GP::NamedTypeContext*>(ctx);
        type.name = Ident(named->identifier());
        if (named->UNSIGNED() != nullptr) type.name += " unsigned";
        mods = named->typeModifiers();
    }
    if (mods != nullptr) {
        for (auto* num : mods->INTEGER_LITERAL()) {
            std::string_view digits = TokenText(num->getSymbol());
            long long value = 0;
            for (char digit : digits) {
                value = value * 10 + (digit - '0');
                if (value > 1000000000LL) throw Error::SyntaxAt("type modifier out of range", Pos(num->getSymbol()));
            }
            type.modifiers.push_back(static_cast<int>(value));
        }
    }
    return type;
}

std::vector<ast::StatementPtr> AstBuilder::BuildScript(GP::ScriptContext* ctx) {
    std::vector<ast::StatementPtr> statements;
    for (auto* stmt_ctx : ctx->statement()) {
        next_question_param_ = 0;
        ast::StatementPtr stmt = BuildStatement(stmt_ctx);
        statements.push_back(std::move(stmt));
    }
    return statements;
}

}  // namespace grizzly::frontend
