// The tables that orders and lineitem point at: region, nation, part,
// supplier, partsupp and customer (clause 4.2.3).
#include <algorithm>
#include <array>
#include <cstring>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "storage/tpch/distributions.hpp"
#include "storage/tpch/generators.hpp"

namespace grizzly::storage::tpch {

namespace {

constexpr LengthRange kNationCommentLength = AroundMean(72);
constexpr LengthRange kRegionCommentLength = AroundMean(72);
constexpr LengthRange kPartCommentLength = AroundMean(14);
constexpr LengthRange kSupplierCommentLength = AroundMean(63);
constexpr LengthRange kPartSuppCommentLength = AroundMean(124);
constexpr LengthRange kCustomerCommentLength = AroundMean(73);
constexpr LengthRange kAddressLength = AroundMean(25);
constexpr int64_t kMinAcctbal = -99999;  // cents
constexpr int64_t kMaxAcctbal = 999999;
constexpr int64_t kSuppliersPerPart = 4;

constexpr std::string_view kManufacturers[] = {"Manufacturer#1", "Manufacturer#2", "Manufacturer#3",
                                               "Manufacturer#4", "Manufacturer#5"};

/// Every "head tail" combination, heads outermost (dbgen's list order).
std::vector<std::string> Combine(const std::vector<std::string>& heads, std::span<const std::string_view> tails) {
    std::vector<std::string> out;
    for (const auto& head : heads)
        for (auto tail : tails) out.push_back(head + " " + std::string(tail));
    return out;
}

std::vector<std::string> Words(std::span<const std::string_view> words) { return {words.begin(), words.end()}; }

// Kept for the process's lifetime so that chunks can point at them.
const std::vector<std::string>& PartTypes() {
    static const std::vector<std::string> types =
        Combine(Combine(Words(kTypeSyllable1), kTypeSyllable2), kTypeSyllable3);
    return types;
}

const std::vector<std::string>& Containers() {
    static const std::vector<std::string> containers = Combine(Words(kContainerSyllable1), kContainerSyllable2);
    return containers;
}

/// dbgen's V_STR: random symbols of kAlphaNumeric, six bits of a draw each.
std::string_view Address(char* buf, Stream stream, int64_t row) {
    Rng rng(stream, static_cast<uint64_t>(row));
    auto length = static_cast<size_t>(rng.Uniform(kAddressLength.min, kAddressLength.max));
    uint64_t bits = 0;
    for (size_t char_idx = 0; char_idx < length; ++char_idx) {
        if (char_idx % 10 == 0) bits = rng.Next();
        buf[char_idx] = kAlphaNumeric[bits & 63];
        bits >>= 6;
    }
    return {buf, length};
}

void WriteDigits(char* out, int64_t value, int width) {
    for (int digit_idx = width - 1; digit_idx >= 0; --digit_idx) {
        out[digit_idx] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
}

/// "CC-AAA-EEE-NNNN": the country code is 10 + the nation key.
std::string_view Phone(char* buf, Stream stream, int64_t row, int64_t nationkey) {
    Rng rng(stream, static_cast<uint64_t>(row));
    WriteDigits(buf, 10 + nationkey, 2);
    buf[2] = '-';
    WriteDigits(buf + 3, rng.Uniform(100, 999), 3);
    buf[6] = '-';
    WriteDigits(buf + 7, rng.Uniform(100, 999), 3);
    buf[10] = '-';
    WriteDigits(buf + 11, rng.Uniform(1000, 9999), 4);
    return {buf, 15};
}

/// Five distinct colours joined by spaces.
std::string_view PartName(char* buf, int64_t partkey) {
    constexpr int kWords = 5;
    Rng rng(Stream::PartName, static_cast<uint64_t>(partkey));
    std::array<int64_t, kWords> picked{};
    size_t length = 0;
    for (int word_idx = 0; word_idx < kWords; ++word_idx) {
        int64_t color;
        do color = rng.Uniform(0, std::ssize(kColors) - 1);
        while (std::find(picked.begin(), picked.begin() + word_idx, color) != picked.begin() + word_idx);
        picked[word_idx] = color;
        if (word_idx > 0) buf[length++] = ' ';
        std::memcpy(buf + length, kColors[color].data(), kColors[color].size());
        length += kColors[color].size();
    }
    return {buf, length};
}

/// Which suppliers get a remark (true: complaint): 2 * remarks_per_kind of
/// them, drawn without repetition (Floyd's sampling), then shuffled so that
/// the first half complain.
std::unordered_map<int64_t, bool> PickRemarkedSuppliers(const Scale& scale) {
    Rng rng(Stream::SupplierRemarkPick, 0);
    int64_t wanted = 2 * scale.remarks_per_kind;
    std::vector<int64_t> picked;
    std::unordered_map<int64_t, bool> remarks;
    for (int64_t candidate = scale.suppliers - wanted; candidate < scale.suppliers; ++candidate) {
        int64_t pick = rng.Uniform(0, candidate);
        if (remarks.contains(pick + 1)) pick = candidate;
        remarks[pick + 1] = false;
        picked.push_back(pick + 1);
    }
    for (int64_t idx = wanted - 1; idx > 0; --idx) std::swap(picked[idx], picked[rng.Uniform(0, idx)]);
    for (int64_t idx = 0; idx < scale.remarks_per_kind; ++idx) remarks[picked[idx]] = true;
    return remarks;
}

/// Writes "Customer " and then "Complaints" or "Recommends" over the comment,
/// a random gap apart, at a random place (dbgen's mk_supp).
std::string_view AddRemark(char* buf, std::string_view comment, int64_t suppkey, bool complaint) {
    constexpr std::string_view kBase = "Customer ";
    constexpr std::string_view kComplaint = "Complaints";
    constexpr std::string_view kCommend = "Recommends";
    auto length = static_cast<int64_t>(comment.size());
    auto remark_length = static_cast<int64_t>(kBase.size() + kComplaint.size());
    Rng rng(Stream::SupplierRemarkPlace, static_cast<uint64_t>(suppkey));
    int64_t gap = rng.Uniform(0, length - remark_length);
    int64_t offset = rng.Uniform(0, length - remark_length - gap);
    std::memcpy(buf, comment.data(), comment.size());
    std::memcpy(buf + offset, kBase.data(), kBase.size());
    std::string_view kind = complaint ? kComplaint : kCommend;
    std::memcpy(buf + offset + static_cast<int64_t>(kBase.size()) + gap, kind.data(), kind.size());
    return {buf, comment.size()};
}

}  // namespace

void GenerateRegion(const TableSpec& table, const Sink& sink) {
    ChunkWriter out(table, sink);
    for (int64_t key = 0; key < std::ssize(kRegions); ++key) {
        idx_t row = out.NextRow();
        out.At<int32_t>(kRRegionkey, row) = static_cast<int32_t>(key);
        out.Refer(kRName, row, kRegions[key]);
        out.Refer(kRComment, row, Comment(Stream::RegionComment, key, kRegionCommentLength));
    }
    out.Finish();
}

void GenerateNation(const TableSpec& table, const Sink& sink) {
    ChunkWriter out(table, sink);
    for (int64_t key = 0; key < std::ssize(kNations); ++key) {
        idx_t row = out.NextRow();
        out.At<int32_t>(kNNationkey, row) = static_cast<int32_t>(key);
        out.Refer(kNName, row, kNations[key].name);
        out.At<int32_t>(kNRegionkey, row) = kNations[key].region_key;
        out.Refer(kNComment, row, Comment(Stream::NationComment, key, kNationCommentLength));
    }
    out.Finish();
}

void GeneratePart(const TableSpec& table, const Scale& scale, const Sink& sink) {
    const auto& types = PartTypes();
    const auto& containers = Containers();
    ChunkWriter out(table, sink);
    char buf[64];
    for (int64_t key = 1; key <= scale.parts; ++key) {
        idx_t row = out.NextRow();
        out.At<int32_t>(kPPartkey, row) = static_cast<int32_t>(key);
        out.Copy(kPName, row, PartName(buf, key));
        int64_t mfgr = Draw(Stream::PartMfgr, key, 1, 5);
        out.Refer(kPMfgr, row, kManufacturers[mfgr - 1]);
        std::string_view brand = "Brand#";
        std::memcpy(buf, brand.data(), brand.size());
        WriteDigits(buf + brand.size(), mfgr * 10 + Draw(Stream::PartBrand, key, 1, 5), 2);
        out.Copy(kPBrand, row, {buf, brand.size() + 2});
        out.Refer(kPType, row, types[Draw(Stream::PartType, key, 0, std::ssize(types) - 1)]);
        out.At<int32_t>(kPSize, row) = static_cast<int32_t>(Draw(Stream::PartSize, key, 1, 50));
        out.Refer(kPContainer, row, containers[Draw(Stream::PartContainer, key, 0, std::ssize(containers) - 1)]);
        out.At<int64_t>(kPRetailprice, row) = RetailPrice(key);
        out.Refer(kPComment, row, Comment(Stream::PartComment, key, kPartCommentLength));
    }
    out.Finish();
}

void GenerateSupplier(const TableSpec& table, const Scale& scale, const Sink& sink) {
    auto remarks = PickRemarkedSuppliers(scale);
    ChunkWriter out(table, sink);
    char buf[kSupplierCommentLength.max + 1];
    // Nation keys are dbgen's own, so that each nation has as many suppliers as in dbgen's data.
    DbgenRng nations(DbgenRng::kSupplierNationSeed, 0);
    for (int64_t key = 1; key <= scale.suppliers; ++key) {
        idx_t row = out.NextRow();
        out.At<int32_t>(kSSuppkey, row) = static_cast<int32_t>(key);
        out.Copy(kSName, row, FormatTagged(buf, "Supplier#", key));
        out.Copy(kSAddress, row, Address(buf, Stream::SupplierAddress, key));
        int64_t nation = nations.Uniform(0, std::ssize(kNations) - 1);
        out.At<int32_t>(kSNationkey, row) = static_cast<int32_t>(nation);
        out.Copy(kSPhone, row, Phone(buf, Stream::SupplierPhone, key, nation));
        out.At<int64_t>(kSAcctbal, row) = Draw(Stream::SupplierAcctbal, key, kMinAcctbal, kMaxAcctbal);
        std::string_view comment = Comment(Stream::SupplierComment, key, kSupplierCommentLength);
        auto remark = remarks.find(key);
        if (remark == remarks.end()) out.Refer(kSComment, row, comment);
        else out.Copy(kSComment, row, AddRemark(buf, comment, key, remark->second));
    }
    out.Finish();
}

void GeneratePartSupp(const TableSpec& table, const Scale& scale, const Sink& sink) {
    ChunkWriter out(table, sink);
    for (int64_t partkey = 1; partkey <= scale.parts; ++partkey) {
        for (int64_t supplier_idx = 0; supplier_idx < kSuppliersPerPart; ++supplier_idx) {
            int64_t id = (partkey - 1) * kSuppliersPerPart + supplier_idx;
            idx_t row = out.NextRow();
            out.At<int32_t>(kPsPartkey, row) = static_cast<int32_t>(partkey);
            out.At<int32_t>(kPsSuppkey, row) =
                static_cast<int32_t>(PartSupplier(partkey, supplier_idx, scale.suppliers));
            out.At<int32_t>(kPsAvailqty, row) = static_cast<int32_t>(Draw(Stream::PartSuppAvailqty, id, 1, 9999));
            out.At<int64_t>(kPsSupplycost, row) = Draw(Stream::PartSuppSupplycost, id, 100, 100000);
            out.Refer(kPsComment, row, Comment(Stream::PartSuppComment, id, kPartSuppCommentLength));
        }
    }
    out.Finish();
}

void GenerateCustomer(const TableSpec& table, const Scale& scale, const Sink& sink) {
    ChunkWriter out(table, sink);
    char buf[64];
    // Nation keys and market segments are dbgen's own (its segment pick, weighted
    // over equal weights, is a plain uniform draw).
    DbgenRng nations(DbgenRng::kCustomerNationSeed, 0);
    DbgenRng segments(DbgenRng::kCustomerSegmentSeed, 0);
    for (int64_t key = 1; key <= scale.customers; ++key) {
        idx_t row = out.NextRow();
        out.At<int32_t>(kCCustkey, row) = static_cast<int32_t>(key);
        out.Copy(kCName, row, FormatTagged(buf, "Customer#", key));
        out.Copy(kCAddress, row, Address(buf, Stream::CustomerAddress, key));
        int64_t nation = nations.Uniform(0, std::ssize(kNations) - 1);
        out.At<int32_t>(kCNationkey, row) = static_cast<int32_t>(nation);
        out.Copy(kCPhone, row, Phone(buf, Stream::CustomerPhone, key, nation));
        out.At<int64_t>(kCAcctbal, row) = Draw(Stream::CustomerAcctbal, key, kMinAcctbal, kMaxAcctbal);
        out.Refer(kCMktsegment, row, kSegments[segments.Uniform(0, std::ssize(kSegments) - 1)]);
        out.Refer(kCComment, row, Comment(Stream::CustomerComment, key, kCustomerCommentLength));
    }
    out.Finish();
}

}  // namespace grizzly::storage::tpch
