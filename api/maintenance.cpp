// Maintenance statements: VACUUM (compact tables, shrink the file) and
// BACKUP TO (a consistent copy of the database while others go on).
#include <filesystem>

#include "api/client_context.hpp"
#include "storage/file/block_file.hpp"
#include "storage/file/checkpoint.hpp"

namespace grizzly {

std::shared_ptr<QueryResultData> ClientContext::Vacuum(const ast::VacuumStatement& stmt) {
    AttachedDatabase& database = DatabaseOf(stmt.table, stmt.pos);
    std::vector<storage::TableEntry*> tables;
    if (stmt.table.empty()) {
        tables = database.catalog.Tables();
    } else {
        storage::TableEntry* table = database.catalog.GetTable(stmt.table.back());
        if (!table) throw Error::UndefinedTable(QuoteQualifiedName(stmt.table), stmt.pos);
        tables.push_back(table);
    }
    bool changed = false;
    for (storage::TableEntry* table : tables) {
        if (table->Data().DeletedRowCount() == 0) continue;
        // Row ids change: the compacted rows are renumbered, so the keys are indexed anew.
        std::shared_ptr<storage::TableData> previous = table->ReplaceData(table->Data().Compact());
        undo_.RecordRewrite(table, std::move(previous));
        for (auto& index : table->unique_indexes) index->Rebuild(table->Data());
        changed = true;
    }
    // A file gives back the space at once: its next checkpoint holds only live rows.
    if (!changed && database.file) database.file->FoldLog(database.catalog);
    return TaggedResult("VACUUM");
}

std::shared_ptr<QueryResultData> ClientContext::Backup(const ast::BackupStatement& stmt) {
    AttachedDatabase* found = stmt.database.empty() ? &CurrentDatabase() : db_.Find(stmt.database);
    if (!found) throw Error(SqlState::UndefinedDatabase, "database \"" + stmt.database + "\" does not exist", stmt.pos);
    AttachedDatabase& database = *found;
    if (database.file && storage::FileExists(stmt.path)) {
        std::error_code ec;
        if (std::filesystem::equivalent(database.file->Path(), stmt.path, ec))
            throw Error(SqlState::InvalidParameterValue, "cannot back up database \"" + database.name + "\" onto itself",
                        stmt.pos);
    }
    // The statement's snapshot: every table as of one moment, while writers go on.
    storage::DatabaseFile::WriteCopy(stmt.path, database.catalog);
    return TaggedResult("BACKUP");
}

}  // namespace grizzly
