#include "storage/file/storage_info.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "storage/catalog.hpp"
#include "storage/file/segment.hpp"

namespace grizzly::storage {

namespace {

// "lz4" when every segment agrees, else "lz4(3)+none(1)", most used first.
std::string Summarize(const std::map<std::string, uint64_t>& counts) {
    if (counts.size() == 1) return counts.begin()->first;
    std::vector<std::pair<std::string, uint64_t>> sorted(counts.begin(), counts.end());
    std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    std::string out;
    for (const auto& [name, n] : sorted) out += (out.empty() ? "" : "+") + name + "(" + std::to_string(n) + ")";
    return out;
}

}  // namespace

std::vector<ColumnStorageInfo> DescribeStorage(const TableEntry& table) {
    std::vector<ColumnStorageInfo> out;
    const TableData& data = table.Data();
    for (size_t col = 0; col < table.Columns().size(); ++col) {
        ColumnStorageInfo info;
        info.column_name = table.Columns()[col].name;
        info.type = table.Columns()[col].type.ToString();
        std::map<std::string, uint64_t> encodings, codecs;
        for (const auto& rg : data.RowGroups()) {
            BinaryWriter scratch;
            SegmentReport report = WriteColumnSegment(scratch, rg->columns[col], rg->count);
            ++info.segments;
            ++encodings[EncodingName(report.encoding)];
            ++codecs[CodecName(report.codec)];
            info.compressed_bytes += report.stored_bytes;
            info.encoded_bytes += report.encoded_bytes;
            info.uncompressed_bytes += report.plain_bytes;
        }
        info.encodings = Summarize(encodings);
        info.codecs = Summarize(codecs);
        out.push_back(std::move(info));
    }
    return out;
}

}  // namespace grizzly::storage
