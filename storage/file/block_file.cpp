#include "storage/file/block_file.hpp"

#include <xxhash.h>

#include <cstring>
#include <vector>

#include "common/error.hpp"
#include "storage/file/binary.hpp"

namespace grizzly::storage {

namespace {

constexpr char kMagic[8] = {'G', 'R', 'I', 'Z', 'Z', 'L', 'Y', '\0'};
constexpr uint32_t kBlockPayload = kBlockSize - 8;

struct Header {
    uint32_t version = kFormatVersion;
    uint32_t block_size = kBlockSize;
    uint64_t sequence = 0;
    uint64_t block_count = 0;
    uint64_t payload_bytes = 0;
};

std::string EncodeHeader(const Header& h) {
    BinaryWriter w;
    w.Raw(kMagic, sizeof(kMagic));
    w.U32(h.version);
    w.U32(h.block_size);
    w.U64(h.sequence);
    w.U64(h.block_count);
    w.U64(h.payload_bytes);
    w.U64(XXH64(w.Bytes().data(), w.Size(), 0));
    w.Bytes().resize(kHeaderSize, '\0');
    return std::move(w.Bytes());
}

Header DecodeHeader(const File& file) {
    const std::string& path = file.Path();
    if (file.Size() < kHeaderSize) {
        if (file.Size() >= sizeof(kMagic)) {
            char magic[sizeof(kMagic)];
            file.ReadAt(magic, sizeof(magic), 0);
            if (std::memcmp(magic, kMagic, sizeof(kMagic)) == 0)
                throw Error(SqlState::DataCorrupted, "database file \"" + path + "\" is truncated (no complete header)");
        }
        throw Error(SqlState::DataCorrupted, "file \"" + path + "\" is not a Grizzly database file");
    }
    std::string bytes(kHeaderSize, '\0');
    file.ReadAt(bytes.data(), bytes.size(), 0);
    if (std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0)
        throw Error(SqlState::DataCorrupted, "file \"" + path + "\" is not a Grizzly database file");
    BinaryReader r(bytes, "database file \"" + path + "\"");
    r.Take(sizeof(kMagic));
    Header h;
    h.version = r.U32();
    h.block_size = r.U32();
    h.sequence = r.U64();
    h.block_count = r.U64();
    h.payload_bytes = r.U64();
    size_t checked = r.Position();
    uint64_t checksum = r.U64();
    if (checksum != XXH64(bytes.data(), checked, 0))
        throw Error(SqlState::DataCorrupted, "database file \"" + path + "\" is corrupt: header checksum mismatch");
    if (h.version > kFormatVersion)
        throw Error(SqlState::FeatureNotSupported, "database file \"" + path + "\" has format version " +
                                                       std::to_string(h.version) + "; this build reads up to version " +
                                                       std::to_string(kFormatVersion));
    if (h.version < kFormatVersion)
        throw Error(SqlState::FeatureNotSupported,
                    "database file \"" + path + "\" has format version " + std::to_string(h.version) +
                        ", an older format this build no longer reads (it reads version " +
                        std::to_string(kFormatVersion) + ")");
    if (h.block_size != kBlockSize || h.payload_bytes > h.block_count * uint64_t(kBlockPayload))
        throw Error(SqlState::DataCorrupted, "database file \"" + path + "\" is corrupt: inconsistent header");
    if (file.Size() < kHeaderSize + h.block_count * uint64_t(kBlockSize))
        throw Error(SqlState::DataCorrupted, "database file \"" + path + "\" is truncated: " +
                                                 std::to_string(h.block_count) + " blocks expected");
    return h;
}

// Reads block `i` into `block` and checks its checksum; returns an empty string or the problem.
std::string ReadBlock(const File& file, uint64_t i, std::vector<char>& block) {
    file.ReadAt(block.data(), kBlockSize, kHeaderSize + i * kBlockSize);
    uint64_t stored;
    std::memcpy(&stored, block.data(), sizeof(stored));
    if (stored != XXH64(block.data() + 8, kBlockPayload, 0)) return "checksum mismatch in block " + std::to_string(i);
    return "";
}

}  // namespace

void WriteCheckpointFile(const std::string& path, const CheckpointImage& image) {
    std::string tmp = path + ".tmp";
    File file(tmp, File::Mode::Create);
    Header h;
    h.sequence = image.sequence;
    h.payload_bytes = image.payload.size();
    h.block_count = (image.payload.size() + kBlockPayload - 1) / kBlockPayload;
    std::vector<char> block(kBlockSize);
    for (uint64_t i = 0; i < h.block_count; ++i) {
        size_t start = i * kBlockPayload;
        size_t n = std::min<size_t>(kBlockPayload, image.payload.size() - start);
        std::memcpy(block.data() + 8, image.payload.data() + start, n);
        std::memset(block.data() + 8 + n, 0, kBlockPayload - n);
        uint64_t checksum = XXH64(block.data() + 8, kBlockPayload, 0);
        std::memcpy(block.data(), &checksum, sizeof(checksum));
        file.WriteAt(block.data(), kBlockSize, kHeaderSize + i * kBlockSize);
    }
    std::string header = EncodeHeader(h);
    file.WriteAt(header.data(), header.size(), 0);
    file.Sync();
    file.Close();
    RenameDurably(tmp, path);
}

CheckpointImage ReadCheckpointFile(const std::string& path) {
    File file(path, File::Mode::ReadOnly);
    Header h = DecodeHeader(file);
    CheckpointImage image;
    image.sequence = h.sequence;
    image.payload.reserve(h.payload_bytes);
    std::vector<char> block(kBlockSize);
    for (uint64_t i = 0; i < h.block_count; ++i) {
        std::string problem = ReadBlock(file, i, block);
        if (!problem.empty())
            throw Error(SqlState::DataCorrupted, "database file \"" + path + "\" is corrupt: " + problem);
        size_t n = std::min<size_t>(kBlockPayload, h.payload_bytes - image.payload.size());
        image.payload.append(block.data() + 8, n);
    }
    return image;
}

std::string VerifyCheckpointFile(const std::string& path) {
    try {
        File file(path, File::Mode::ReadOnly);
        Header h = DecodeHeader(file);
        std::vector<char> block(kBlockSize);
        std::string problems;
        for (uint64_t i = 0; i < h.block_count; ++i) {
            std::string problem = ReadBlock(file, i, block);
            if (!problem.empty()) problems += (problems.empty() ? "" : "; ") + problem;
        }
        return problems;
    } catch (const Error& e) {
        return e.Message();
    }
}

}  // namespace grizzly::storage
