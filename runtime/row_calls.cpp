/// Row-at-a-time calls into the interpreter's scalar semantics (row_calls.hpp).
#include "runtime/row_calls.hpp"

#include "common/error.hpp"
#include "runtime/functions/functions.hpp"

#include <algorithm>
#include <cstring>
#include <string>
#include <unordered_set>
#include <utility>

namespace grizzly::runtime {

namespace {

enum CallKind : int32_t { kFunction = 0, kCast = 1, kTryCast = 2, kSubquery = 3 };

void EncodeType(std::vector<int32_t>& words, const LogicalType& type) {
    words.push_back(static_cast<int32_t>(type.id));
    words.push_back(type.width);
    words.push_back(type.scale);
}

LogicalType DecodeType(const int32_t*& words) {
    LogicalType type(static_cast<TypeId>(words[0]), static_cast<uint8_t>(words[1]), static_cast<uint8_t>(words[2]));
    words += 3;
    return type;
}

} // namespace

std::vector<int32_t> RowCallDescriptor::Encode(const ir::Expr& call, int32_t subquery_site) {
    std::vector<int32_t> words;
    if (call.type == ir::ExprType::Subquery) {
        GZ_CHECK(subquery_site >= 0, "a subquery row call needs its site");
        words.push_back(kSubquery);
        words.push_back(subquery_site);
    } else if (call.type == ir::ExprType::Cast) {
        words.push_back(call.try_cast ? kTryCast : kCast);
        words.push_back(0);
    } else {
        GZ_CHECK(call.type == ir::ExprType::Function, "a row call is a function or a cast");
        words.push_back(kFunction);
        words.push_back(static_cast<int32_t>(call.function));
    }
    EncodeType(words, call.return_type);
    words.push_back(static_cast<int32_t>(call.children.size() + call.correlated.size()));
    for (const auto& child : call.children)
        EncodeType(words, child->return_type);
    for (const auto& outer : call.correlated)
        EncodeType(words, outer->return_type);
    return words;
}

namespace {

/// The values of an uncorrelated IN (NOT IN) subquery, for one-value lookups:
/// grouping words (or strings), as the interpreter's typed set compares them.
struct ValueSet {
    std::unordered_set<uint64_t> words;
    std::unordered_set<std::string> strings;
    bool empty = true;
    bool has_null = false;
};

/// A value of `vector`'s row `row` as a grouping word: -0.0 as 0.0, every NaN alike.
uint64_t GroupingWord(const Vector& vector, idx_t row) {
    switch (vector.Physical()) {
    case PhysicalType::Bool:
        return vector.Data<uint8_t>()[row] != 0;
    case PhysicalType::Int32:
        return static_cast<uint64_t>(static_cast<int64_t>(vector.Data<int32_t>()[row]));
    case PhysicalType::Int64:
        return static_cast<uint64_t>(vector.Data<int64_t>()[row]);
    case PhysicalType::Double: {
        double v = vector.Data<double>()[row];
        if (v == 0.0)
            v = 0.0;
        if (v != v)
            return 0x7FF8000000000000ULL;
        uint64_t bits;
        std::memcpy(&bits, &v, sizeof(bits));
        return bits;
    }
    default:
        throw Error::Internal("no grouping word for this type");
    }
}

/// x IN (subquery) is ANY with =, x NOT IN (subquery) ALL with <>: a set lookup.
bool IsSetLookup(const ir::Expr& subquery) {
    return subquery.correlated.empty() && subquery.children.size() == 1 &&
           subquery.children[0]->return_type.Physical() != PhysicalType::Interval &&
           ((subquery.subquery_type == ir::SubqueryType::Any && subquery.compare == ir::CompareOp::Eq) ||
            (subquery.subquery_type == ir::SubqueryType::All && subquery.compare == ir::CompareOp::NotEq));
}

} // namespace

struct RowCalls::Site {
    int32_t kind = kFunction;
    int32_t id = 0; ///< the function id, or the subquery's index
    LogicalType result_type;
    std::vector<Vector> args;
    std::vector<const Vector*> arg_pointers;
    std::vector<Vector> correlated; ///< a subquery's outer values (copies of its last arguments)
    Vector result;
    /// An uncorrelated subquery without an operand: one value for the whole run,
    /// evaluated at the first call (the interpreter too runs it once per statement).
    bool constant = false;
    bool evaluated = false;
    /// IN / NOT IN over an uncorrelated subquery: its values, built at the first call.
    std::unique_ptr<ValueSet> set;
};

/// The (group, value) pairs a DISTINCT aggregate has seen, as the interpreter's `seen` table.
struct RowCalls::Distinct {
    struct Hash {
        size_t operator()(const std::pair<uint64_t, uint64_t>& p) const {
            return std::hash<uint64_t>()(p.first * 0x9E3779B97F4A7C15ULL ^ p.second);
        }
        size_t operator()(const std::pair<uint64_t, std::string>& p) const {
            return std::hash<uint64_t>()(p.first) ^ std::hash<std::string>()(p.second);
        }
    };
    std::unordered_set<std::pair<uint64_t, uint64_t>, Hash> words;
    std::unordered_set<std::pair<uint64_t, std::string>, Hash> strings;
};

RowCalls::RowCalls() : kept_(std::make_shared<StringHeap>()) {}
RowCalls::~RowCalls() = default;

RowCalls::Site& RowCalls::SiteFor(const int32_t* descriptor) {
    for (auto& [known, site] : sites_)
        if (known == descriptor)
            return *site;
    auto site = std::make_unique<Site>();
    const int32_t* words = descriptor;
    site->kind = *words++;
    site->id = *words++;
    site->result_type = DecodeType(words);
    const int32_t arg_count = *words++;
    site->args.reserve(static_cast<size_t>(arg_count));
    for (int32_t arg = 0; arg < arg_count; ++arg)
        site->args.emplace_back(DecodeType(words), 1);
    for (const Vector& arg : site->args)
        site->arg_pointers.push_back(&arg);
    site->result = Vector(site->result_type, 1);
    site->constant = site->kind == kSubquery && site->args.empty();
    sites_.emplace_back(descriptor, std::move(site));
    return *sites_.back().second;
}

bool RowCalls::Call(const int32_t* descriptor, const void* const* args, uint64_t valid_mask, void* out) {
    Site& site = SiteFor(descriptor);
    if (!site.constant || !site.evaluated)
        Evaluate(site, args, valid_mask);
    if (!site.result.Validity().RowIsValid(0))
        return false;
    std::memcpy(out, site.result.RawData(), PhysicalSize(site.result.Physical()));
    return true;
}

void RowCalls::Evaluate(Site& site, const void* const* args, uint64_t valid_mask) {
    for (size_t arg = 0; arg < site.args.size(); ++arg) {
        Vector& vector = site.args[arg];
        vector.Validity().Reset();
        if (valid_mask >> arg & 1)
            std::memcpy(vector.RawData(), args[arg], PhysicalSize(vector.Physical()));
        else
            vector.Validity().SetInvalid(0);
    }
    site.result.Validity().Reset();
    const Rows row{nullptr, 1};
    if (site.kind == kSubquery) {
        const auto index = static_cast<size_t>(site.id);
        GZ_CHECK(executor_ && index < subqueries_.size(), "a subquery row call before BindSubqueries");
        // Arguments: the operand (ANY, ALL), then the outer values of a correlated subquery.
        const ir::Expr& subquery = *subqueries_[index];
        if (IsSetLookup(subquery) && LookUp(site, subquery)) {
            site.evaluated = true;
            return;
        }
        const size_t operands = subquery.children.size();
        site.correlated.assign(site.args.begin() + static_cast<long>(operands), site.args.end());
        executor_->EvaluateSubquery(subquery, operands ? &site.args[0] : nullptr, site.correlated, row, site.result);
    } else if (site.kind == kFunction)
        ExecuteScalarFunction(static_cast<ir::ScalarFunctionId>(site.id), site.arg_pointers.data(),
                              site.arg_pointers.size(), row, site.result);
    else
        CastVector(site.args[0], row, site.result, site.kind == kTryCast);
    site.evaluated = true;
}

void RowCalls::BindSubqueries(ExecutionContext& ctx, std::vector<const ir::Expr*> subqueries) {
    subqueries_ = std::move(subqueries);
    executor_ = std::make_unique<ExpressionExecutor>(ctx);
}

bool RowCalls::LookUp(Site& site, const ir::Expr& subquery) {
    if (!site.set) {
        std::shared_ptr<SubqueryResult> result = executor_->UncorrelatedResult(subquery);
        const auto& types = result->rows.Types();
        // As the interpreter's typed set: only over a column of the operand's physical type.
        if (types.empty() || types[0].Physical() != site.args[0].Physical())
            return false;
        auto set = std::make_unique<ValueSet>();
        for (const DataChunk& chunk : result->rows.Chunks()) {
            const Vector& column = chunk.columns[0];
            for (idx_t row = 0; row < chunk.size; ++row) {
                set->empty = false;
                if (!column.Validity().RowIsValid(row))
                    set->has_null = true;
                else if (column.Physical() == PhysicalType::String)
                    set->strings.insert(column.Data<StringRef>()[row].Str());
                else
                    set->words.insert(GroupingWord(column, row));
            }
        }
        site.set = std::move(set);
    }
    // IN: found is TRUE, else NULL when the set holds a NULL, else FALSE; NOT IN the negation.
    // An empty set decides without the operand, a NULL operand is NULL otherwise.
    const bool is_in = subquery.subquery_type == ir::SubqueryType::Any;
    const Vector& operand = site.args[0];
    const ValueSet& set = *site.set;
    uint8_t& out = site.result.Data<uint8_t>()[0];
    if (set.empty) {
        out = is_in ? 0 : 1;
        return true;
    }
    if (!operand.Validity().RowIsValid(0)) {
        site.result.Validity().SetInvalid(0);
        return true;
    }
    const bool found = operand.Physical() == PhysicalType::String
                           ? set.strings.count(std::string(operand.Data<StringRef>()[0].View())) > 0
                           : set.words.count(GroupingWord(operand, 0)) > 0;
    if (!found && set.has_null)
        site.result.Validity().SetInvalid(0);
    else
        out = found == is_in ? 1 : 0;
    return true;
}

RowCalls::Distinct& RowCalls::DistinctAt(int32_t site) {
    const auto index = static_cast<size_t>(site);
    if (index >= distinct_.size())
        distinct_.resize(index + 1);
    if (!distinct_[index])
        distinct_[index] = std::make_unique<Distinct>();
    return *distinct_[index];
}

bool RowCalls::FirstInGroup(int32_t site, uint64_t group, uint64_t value) {
    return DistinctAt(site).words.emplace(group, value).second;
}

bool RowCalls::FirstInGroup(int32_t site, uint64_t group, const StringRef& value) {
    return DistinctAt(site).strings.emplace(group, value.Str()).second;
}

void RowCalls::AppendToGroup(int32_t site, uint64_t group, const StringRef& value, const StringRef* separator) {
    const auto index = static_cast<size_t>(site);
    if (index >= texts_.size())
        texts_.resize(index + 1);
    auto& texts = texts_[index];
    if (group >= texts.size())
        texts.resize(std::max<size_t>(group + 1, texts.size() * 2));
    auto& [has, text] = texts[group];
    if (has && separator)
        text += separator->View();
    has = true;
    text += value.View();
}

const std::string& RowCalls::GroupText(size_t site, uint64_t group) const {
    static const std::string kNone;
    if (site >= texts_.size() || group >= texts_[site].size())
        return kNone;
    return texts_[site][group].second;
}

void RowCalls::Keep(StringRef& ref) {
    if (!ref.IsInlined())
        ref = kept_->Add(ref.View());
}

void RowCalls::EndMorsel() {
    // A new result vector drops the old one's heap, and with it the strings made since.
    for (auto& [descriptor, site] : sites_)
        if (!site->constant)
            site->result = Vector(site->result_type, 1);
}

} // namespace grizzly::runtime
