// INSERT / UPDATE / DELETE: run the bound source plan to completion, then
// check constraints and apply the changes row group by row group, recording
// every change in the undo log so that a failing statement leaves no trace.
// Row-level triggers fire around each row when the table has any.
#include <algorithm>
#include <unordered_set>

#include "api/client_context.hpp"
#include "api/table_expression.hpp"

namespace grizzly {

namespace {

std::vector<Value> RowValues(const DataChunk& chunk, uint32_t row, size_t first, size_t count) {
    std::vector<Value> out;
    out.reserve(count);
    for (size_t c = 0; c < count; ++c) out.push_back(chunk.columns[first + c].GetValue(row));
    return out;
}

constexpr int kMaxTriggerDepth = 32;

}  // namespace

void ClientContext::FireTriggers(storage::TableEntry& table, int timing, int event, const std::vector<Value>* new_row,
                                 const std::vector<Value>* old_row, const std::vector<uint32_t>* updated_columns) {
    auto triggers = table.Owner()->TriggersOf(table.Name());
    if (triggers.empty()) return;
    for (const storage::TriggerEntry* trigger : triggers) {
        if (trigger->timing != timing || trigger->event != event) continue;
        // UPDATE OF cols fires only when one of those columns is assigned.
        if (updated_columns && !trigger->update_columns.empty() &&
            std::none_of(trigger->update_columns.begin(), trigger->update_columns.end(), [&](const std::string& col) {
                int idx = table.ColumnIndex(col);
                return std::find(updated_columns->begin(), updated_columns->end(), static_cast<uint32_t>(idx)) !=
                       updated_columns->end();
            }))
            continue;
        if (++trigger_depth_ > kMaxTriggerDepth) {
            trigger_depth_ = 0;
            throw Error(SqlState::ProgramLimitExceeded, "too many levels of trigger recursion");
        }
        struct DepthGuard {
            int& depth;
            ~DepthGuard() {
                if (depth > 0) --depth;
            }
        } guard{trigger_depth_};
        StatementEnv env;
        env.trigger_table = &table;
        env.has_new = new_row != nullptr;
        env.has_old = old_row != nullptr;
        size_t ncols = table.Columns().size();
        for (size_t c = 0; c < ncols; ++c)
            env.parameters.push_back(new_row ? (*new_row)[c] : Value::Null(table.Columns()[c].type));
        for (size_t c = 0; c < ncols; ++c)
            env.parameters.push_back(old_row ? (*old_row)[c] : Value::Null(table.Columns()[c].type));
        if (!trigger->when_sql.empty()) {
            frontend::BinderShared shared = MakeBinderShared(env);
            frontend::Binder binder(shared);
            ir::ExprPtr cond = binder.BindConstantExpression(*ParseExpression(trigger->when_sql));
            runtime::ExecutionContext ctx = MakeExecutionContext(env);
            Value v = runtime::EvaluateConstant(*cond, ctx);
            if (v.IsNull() || !runtime::CastValue(v, LogicalType(TypeId::Boolean)).GetBool()) continue;
        }
        for (auto& sql : trigger->body_sql) {
            auto stmts = frontend::ParseSql(sql);
            for (auto& stmt : stmts) Dispatch(*stmt, env);
        }
    }
}

void ClientContext::CheckRow(storage::TableEntry& table, const DataChunk& chunk, const std::vector<uint32_t>& rows) {
    const auto& columns = table.Columns();
    for (size_t c = 0; c < columns.size(); ++c) {
        if (!columns[c].not_null) continue;
        const ValidityMask& valid = chunk.columns[c].Validity();
        if (valid.AllValid()) continue;
        for (uint32_t r : rows)
            if (!valid.RowIsValid(r)) throw Error::NotNull(columns[c].name);
    }
    if (table.checks.empty()) return;
    StatementEnv env;
    frontend::BinderShared shared = MakeBinderShared(env);
    runtime::ExecutionContext ctx = MakeExecutionContext(env);
    for (auto& check : table.checks) {
        ir::ExprPtr expr = BindRowExpression(shared, table, check.sql);
        // One executor per expression: it caches constants by node address, and the
        // previous check's nodes are freed, so a new node may reuse an old address.
        runtime::ExpressionExecutor executor(ctx);
        Vector result = executor.Evaluate(*expr, chunk, runtime::Rows{rows.data(), rows.size()});
        Vector as_bool = result;
        if (result.Type().id != TypeId::Boolean) {
            as_bool = Vector(LogicalType(TypeId::Boolean), std::max<idx_t>(chunk.size, 1));
            runtime::CastVector(result, runtime::Rows{rows.data(), rows.size()}, as_bool, false);
        }
        for (uint32_t r : rows)
            if (as_bool.Validity().RowIsValid(r) && !as_bool.Data<uint8_t>()[r]) throw Error::Check(check.name);
    }
}

int64_t ClientContext::AppendRows(storage::TableEntry& table, const runtime::ChunkCollection& rows, int on_conflict) {
    int64_t inserted = 0;
    for (const DataChunk& source : rows.Chunks()) inserted += AppendChunk(table, source, on_conflict);
    return inserted;
}

int64_t ClientContext::AppendChunk(storage::TableEntry& table, const DataChunk& source, int on_conflict) {
    auto& data = table.MutableData();
    bool has_triggers = !table.Owner()->TriggersOf(table.Name()).empty();
    size_t ncols = table.Columns().size();
    int64_t inserted = 0;
    std::vector<uint32_t> all(source.size);
    for (uint32_t i = 0; i < source.size; ++i) all[i] = i;
    // Without keys or triggers no row depends on another, so the chunk is checked
    // and appended whole (bulk loads take this path).
    if (!has_triggers && table.unique_indexes.empty() && on_conflict != static_cast<int>(ast::OnConflict::Ignore)) {
        CheckRow(table, source, all);
        undo_.RecordAppend(&table, data.RowCount());
        data.Append(source);
        return source.size;
    }
    std::vector<uint32_t> accepted;
    auto& catalog_undo = undo_;
    auto insert_rows = [&](const std::vector<uint32_t>& chosen) {
        if (chosen.empty()) return;
        DataChunk view = source;
        view.has_sel = true;
        view.sel.indices = chosen;
        catalog_undo.RecordAppend(&table, data.RowCount());
        row_t first = static_cast<row_t>(data.RowCount());
        data.Append(view);
        // Keys of the new rows go into the unique indexes (checked before).
        for (auto& index : table.unique_indexes) {
            std::vector<Value> key_values(index->Columns().size());
            std::string key;
            for (size_t i = 0; i < chosen.size(); ++i) {
                for (size_t k = 0; k < key_values.size(); ++k)
                    key_values[k] = source.columns[index->Columns()[k]].GetValue(chosen[i]);
                if (storage::UniqueIndex::MakeKey(key_values, key)) index->Insert(key, first + static_cast<row_t>(i));
            }
        }
        inserted += static_cast<int64_t>(chosen.size());
    };
    // Rows are checked (and, with triggers, inserted) one step at a time so that a
    // duplicate inside the same statement is caught and triggers see earlier rows.
    // Keys added by earlier rows of this chunk, per index.
    std::vector<std::unordered_set<std::string>> seen_in_batch(table.unique_indexes.size());
    for (uint32_t r : all) {
        std::vector<uint32_t> one{r};
        bool skip = false;
        try {
            CheckRow(table, source, one);
        } catch (const Error& e) {
            if (on_conflict != static_cast<int>(ast::OnConflict::Ignore)) throw;
            skip = true;
        }
        if (skip) continue;
        for (size_t i = 0; i < table.unique_indexes.size(); ++i) {
            auto& index = table.unique_indexes[i];
            std::vector<Value> key_values;
            for (uint32_t c : index->Columns()) key_values.push_back(source.columns[c].GetValue(r));
            std::string plain;
            if (!storage::UniqueIndex::MakeKey(key_values, plain)) continue;
            bool clash = index->Contains(plain) || seen_in_batch[i].count(plain);
            if (!clash) {
                seen_in_batch[i].insert(plain);
                continue;
            }
            if (on_conflict == static_cast<int>(ast::OnConflict::Ignore)) {
                skip = true;
                break;
            }
            if (on_conflict == static_cast<int>(ast::OnConflict::Replace) && index->Contains(plain)) {
                // Delete the existing row with that key.
                for (row_t row = 0; row < static_cast<row_t>(data.RowCount()); ++row) {
                    if (data.IsDeleted(row)) continue;
                    std::vector<Value> existing;
                    for (uint32_t c : index->Columns()) existing.push_back(data.GetValue(row, c));
                    std::string existing_key;
                    if (storage::UniqueIndex::MakeKey(existing, existing_key) && existing_key == plain) {
                        data.Delete(row);
                        undo_.RecordDelete(&table, row);
                    }
                }
                for (auto& idx : table.unique_indexes) idx->Rebuild(data);
                seen_in_batch[i].insert(plain);
                continue;
            }
            throw Error::Unique(index->Name());
        }
        if (skip) continue;
        if (has_triggers) {
            std::vector<Value> new_row = RowValues(source, r, 0, ncols);
            FireTriggers(table, static_cast<int>(ast::TriggerTiming::Before), static_cast<int>(ast::TriggerEvent::Insert),
                         &new_row, nullptr);
            insert_rows(one);
            FireTriggers(table, static_cast<int>(ast::TriggerTiming::After), static_cast<int>(ast::TriggerEvent::Insert),
                         &new_row, nullptr);
        } else {
            accepted.push_back(r);
        }
    }
    insert_rows(accepted);
    return inserted;
}

std::shared_ptr<QueryResultData> ClientContext::Insert(const ast::InsertStatement& stmt, StatementEnv& env) {
    frontend::BinderShared shared = MakeBinderShared(env);
    frontend::Binder binder(shared);
    frontend::BoundInsert bound = binder.BindInsert(stmt);
    runtime::ChunkCollection rows = ExecuteLogical(*bound.source.plan, env);
    rows.SetTypes(bound.source.types);
    return TaggedResult("INSERT", AppendRows(*bound.table, rows, bound.on_conflict));
}

std::shared_ptr<QueryResultData> ClientContext::Update(const ast::UpdateStatement& stmt, StatementEnv& env) {
    frontend::BinderShared shared = MakeBinderShared(env);
    frontend::Binder binder(shared);
    frontend::BoundUpdate bound = binder.BindUpdate(stmt);
    return ApplyUpdate(*bound.table, bound.updated_columns, ExecuteLogical(*bound.source.plan, env));
}

std::shared_ptr<QueryResultData> ClientContext::ApplyUpdate(storage::TableEntry& table,
                                                            const std::vector<uint32_t>& updated_columns,
                                                            const runtime::ChunkCollection& rows) {
    auto& data = table.MutableData();
    size_t ncols = table.Columns().size();
    bool has_triggers = !table.Owner()->TriggersOf(table.Name()).empty();
    auto fire = [&](int timing, const std::vector<Value>& new_row, const std::vector<Value>& old_row) {
        FireTriggers(table, timing, static_cast<int>(ast::TriggerEvent::Update), &new_row, &old_row,
                     &updated_columns);
    };
    std::unordered_set<row_t> done;
    int64_t changed = 0;
    for (const DataChunk& chunk : rows.Chunks()) {
        for (uint32_t r = 0; r < chunk.size; ++r) {
            row_t row_id = chunk.columns[0].Data<int64_t>()[r];
            // A row joined to several FROM rows is updated once.
            if (!done.insert(row_id).second || data.IsDeleted(row_id)) continue;
            std::vector<Value> old_row, new_row;
            if (has_triggers) {
                for (size_t c = 0; c < ncols; ++c) old_row.push_back(data.GetValue(row_id, c));
                new_row = RowValues(chunk, r, 1, ncols);
                fire(static_cast<int>(ast::TriggerTiming::Before), new_row, old_row);
            }
            DataChunk values;
            values.columns.assign(chunk.columns.begin() + 1, chunk.columns.end());
            values.size = chunk.size;
            CheckRow(table, values, {r});
            for (uint32_t c : updated_columns) {
                undo_.RecordUpdate(&table, row_id, c, data.GetValue(row_id, c));
                data.Update(row_id, c, chunk.columns[c + 1], r);
            }
            ++changed;
            if (has_triggers) fire(static_cast<int>(ast::TriggerTiming::After), new_row, old_row);
        }
    }
    // Uniqueness holds at the end of the statement, so SET k = k + 1 works in any row order.
    bool touches_key = false;
    for (auto& index : table.unique_indexes)
        for (uint32_t c : index->Columns())
            touches_key |= std::find(updated_columns.begin(), updated_columns.end(), c) != updated_columns.end();
    if (touches_key)
        for (auto& index : table.unique_indexes)
            if (!index->Rebuild(data)) throw Error::Unique(index->Name());
    return TaggedResult("UPDATE", changed);
}

std::shared_ptr<QueryResultData> ClientContext::Delete(const ast::DeleteStatement& stmt, StatementEnv& env) {
    frontend::BinderShared shared = MakeBinderShared(env);
    frontend::Binder binder(shared);
    frontend::BoundDelete bound = binder.BindDelete(stmt);
    return ApplyDelete(*bound.table, ExecuteLogical(*bound.source.plan, env));
}

std::shared_ptr<QueryResultData> ClientContext::ApplyDelete(storage::TableEntry& table,
                                                            const runtime::ChunkCollection& rows) {
    auto& data = table.MutableData();
    size_t ncols = table.Columns().size();
    bool has_triggers = !table.Owner()->TriggersOf(table.Name()).empty();
    int64_t deleted = 0;
    for (const DataChunk& chunk : rows.Chunks()) {
        for (uint32_t r = 0; r < chunk.size; ++r) {
            row_t row_id = chunk.columns[0].Data<int64_t>()[r];
            if (data.IsDeleted(row_id)) continue;
            std::vector<Value> old_row;
            if (has_triggers) {
                old_row = RowValues(chunk, r, 1, ncols);
                FireTriggers(table, static_cast<int>(ast::TriggerTiming::Before),
                             static_cast<int>(ast::TriggerEvent::Delete), nullptr, &old_row);
                if (data.IsDeleted(row_id)) continue;
            }
            for (auto& index : table.unique_indexes) {
                std::vector<Value> key_values;
                for (uint32_t c : index->Columns()) key_values.push_back(data.GetValue(row_id, c));
                std::string key;
                if (storage::UniqueIndex::MakeKey(key_values, key)) index->Erase(key);
            }
            data.Delete(row_id);
            undo_.RecordDelete(&table, row_id);
            ++deleted;
            if (has_triggers)
                FireTriggers(table, static_cast<int>(ast::TriggerTiming::After),
                             static_cast<int>(ast::TriggerEvent::Delete), nullptr, &old_row);
        }
    }
    return TaggedResult("DELETE", deleted);
}

}  // namespace grizzly
