#include "storage/file/block_file.hpp"

#include <xxhash.h>

#include <algorithm>
#include <cstring>

#include "common/error.hpp"

namespace grizzly::storage {

namespace {

constexpr char kMagic[8] = {'G', 'R', 'I', 'Z', 'Z', 'L', 'Y', '\0'};
constexpr uint32_t kPayload = kBlockSize - 8;
constexpr uint64_t kSlotOffset[2] = {512, 1024};
constexpr size_t kSlotSize = 40;

struct Slot {
    uint64_t sequence = 0;
    uint64_t root_block = 0;
    uint64_t root_bytes = 0;
    uint64_t block_count = 0;
    bool valid = false;
};

std::string EncodeSlot(const Slot& s) {
    BinaryWriter w;
    w.U64(s.sequence);
    w.U64(s.root_block);
    w.U64(s.root_bytes);
    w.U64(s.block_count);
    w.U64(XXH64(w.Bytes().data(), w.Size(), 0));
    return std::move(w.Bytes());
}

Slot DecodeSlot(std::string_view bytes) {
    BinaryReader r(bytes, "root slot");
    Slot s;
    s.sequence = r.U64();
    s.root_block = r.U64();
    s.root_bytes = r.U64();
    s.block_count = r.U64();
    s.valid = r.U64() == XXH64(bytes.data(), 32, 0) && s.sequence > 0;
    return s;
}

std::string EncodeHeaderPage() {
    BinaryWriter w;
    w.Raw(kMagic, sizeof(kMagic));
    w.U32(kFormatVersion);
    w.U32(kBlockSize);
    w.U64(XXH64(w.Bytes().data(), w.Size(), 0));
    w.Bytes().resize(kHeaderSize, '\0');
    return std::move(w.Bytes());
}

Error Corrupt(const std::string& path, const std::string& detail) {
    return Error(SqlState::DataCorrupted, "database file \"" + path + "\" is corrupt: " + detail);
}

uint64_t BlockOffset(uint64_t block) { return kHeaderSize + block * uint64_t(kBlockSize); }

uint64_t BlocksFor(uint64_t bytes) { return (bytes + kPayload - 1) / kPayload; }

}  // namespace

// ---- BlobRef ----

uint64_t BlobRef::Size() const {
    uint64_t n = 0;
    for (const Piece& p : pieces) n += p.length;
    return n;
}

void BlobRef::Encode(BinaryWriter& w) const {
    w.U32(static_cast<uint32_t>(pieces.size()));
    for (const Piece& p : pieces) {
        w.U64(p.block);
        w.U32(p.offset);
        w.U32(p.length);
    }
}

BlobRef BlobRef::Decode(BinaryReader& r) {
    BlobRef ref;
    uint32_t n = r.U32();
    if (n > r.Remaining() / 16) throw r.Corrupt("piece count out of range");
    ref.pieces.resize(n);
    for (Piece& p : ref.pieces) {
        p.block = r.U64();
        p.offset = r.U32();
        p.length = r.U32();
        if (uint64_t(p.offset) + p.length > kPayload) throw r.Corrupt("blob piece outside its block");
    }
    return ref;
}

// ---- BlockStore ----

std::unique_ptr<BlockStore> BlockStore::Open(const std::string& path, bool read_only) {
    File file(path, read_only ? File::Mode::ReadOnly : File::Mode::ReadWrite);
    uint64_t size = file.Size();
    std::string page(std::min<uint64_t>(size, kHeaderSize), '\0');
    file.ReadAt(page.data(), page.size(), 0);
    if (page.size() < sizeof(kMagic) || std::memcmp(page.data(), kMagic, sizeof(kMagic)) != 0)
        throw Error(SqlState::DataCorrupted, "file \"" + path + "\" is not a Grizzly database file");
    if (size < kHeaderSize)
        throw Error(SqlState::DataCorrupted, "database file \"" + path + "\" is truncated (no complete header)");
    BinaryReader r(page, "database file \"" + path + "\"");
    r.Take(sizeof(kMagic));
    uint32_t version = r.U32();
    uint32_t block_size = r.U32();
    if (r.U64() != XXH64(page.data(), 16, 0)) throw Corrupt(path, "header checksum mismatch");
    if (version > kFormatVersion)
        throw Error(SqlState::FeatureNotSupported, "database file \"" + path + "\" has format version " +
                                                       std::to_string(version) + "; this build reads up to version " +
                                                       std::to_string(kFormatVersion));
    if (version < kFormatVersion)
        throw Error(SqlState::FeatureNotSupported,
                    "database file \"" + path + "\" has format version " + std::to_string(version) +
                        ", an older format this build no longer reads; export it with the build that wrote it "
                        "(EXPORT DATABASE) and import it here");
    if (block_size != kBlockSize) throw Corrupt(path, "unexpected block size");
    Slot slots[2] = {DecodeSlot(std::string_view(page).substr(kSlotOffset[0], kSlotSize)),
                     DecodeSlot(std::string_view(page).substr(kSlotOffset[1], kSlotSize))};
    if (!slots[0].valid && !slots[1].valid) throw Corrupt(path, "no valid root slot");
    int current = !slots[0].valid || (slots[1].valid && slots[1].sequence > slots[0].sequence) ? 1 : 0;
    const Slot& slot = slots[current];
    if (slot.root_bytes == 0 || slot.root_block + BlocksFor(slot.root_bytes) > slot.block_count)
        throw Corrupt(path, "root slot out of range");
    if (size < BlockOffset(slot.block_count))
        throw Error(SqlState::DataCorrupted, "database file \"" + path + "\" is truncated: " +
                                                 std::to_string(slot.block_count) + " blocks expected");
    auto store = std::unique_ptr<BlockStore>(new BlockStore(std::move(file)));
    store->sequence_ = slot.sequence;
    store->slot_ = current;
    store->block_count_ = slot.block_count;
    store->root_block_ = slot.root_block;
    store->root_bytes_ = slot.root_bytes;
    store->LoadRoot();
    return store;
}

std::unique_ptr<BlockStore> BlockStore::Create(const std::string& path, uint64_t sequence) {
    File file(path, File::Mode::Create);
    std::string page = EncodeHeaderPage();
    file.WriteAt(page.data(), page.size(), 0);
    auto store = std::unique_ptr<BlockStore>(new BlockStore(std::move(file)));
    store->sequence_ = sequence - 1;
    store->slot_ = 1;  // the first checkpoint goes to slot 0
    return store;
}

void BlockStore::LoadRoot() {
    std::string root;
    root.reserve(root_bytes_);
    for (uint64_t b = root_block_; root.size() < root_bytes_; ++b) {
        const std::string& block = ReadBlock(b);
        root.append(block, 8, std::min<uint64_t>(kPayload, root_bytes_ - root.size()));
    }
    BinaryReader r(root, "database file \"" + Path() + "\" root");
    uint64_t ranges = r.U64();
    if (ranges > r.Remaining() / 16) throw r.Corrupt("block list out of range");
    used_.clear();
    for (uint64_t i = 0; i < ranges; ++i) {
        uint64_t start = r.U64(), count = r.U64();
        if (start + count > block_count_ || count > block_count_) throw r.Corrupt("block list beyond the file");
        for (uint64_t b = start; b < start + count; ++b) used_.push_back(b);
    }
    for (uint64_t b = root_block_; b < root_block_ + BlocksFor(root_bytes_); ++b) used_.push_back(b);
    std::sort(used_.begin(), used_.end());
    used_.erase(std::unique(used_.begin(), used_.end()), used_.end());
    free_.clear();
    size_t u = 0;
    for (uint64_t b = 0; b < block_count_; ++b) {
        if (u < used_.size() && used_[u] == b) ++u;
        else free_.push_back(b);
    }
    metadata_ = root.substr(r.Position());
}

const std::string& BlockStore::ReadBlock(uint64_t block) {
    if (block == cached_block_) return cache_;
    if (block >= block_count_) throw Corrupt(Path(), "reference to block " + std::to_string(block) + " beyond the file");
    cache_.resize(kBlockSize);
    cached_block_ = UINT64_MAX;
    file_.ReadAt(cache_.data(), kBlockSize, BlockOffset(block));
    uint64_t stored;
    std::memcpy(&stored, cache_.data(), sizeof(stored));
    if (stored != XXH64(cache_.data() + 8, kPayload, 0))
        throw Corrupt(Path(), "checksum mismatch in block " + std::to_string(block));
    cached_block_ = block;
    return cache_;
}

void BlockStore::WriteBlock(uint64_t block, std::string& bytes) {
    uint64_t checksum = XXH64(bytes.data() + 8, kPayload, 0);
    std::memcpy(bytes.data(), &checksum, sizeof(checksum));
    file_.WriteAt(bytes.data(), kBlockSize, BlockOffset(block));
    if (block == cached_block_) cached_block_ = UINT64_MAX;
}

std::string BlockStore::Read(const BlobRef& ref) {
    std::string out;
    out.reserve(ref.Size());
    for (const BlobRef::Piece& p : ref.pieces) out.append(ReadBlock(p.block), 8 + p.offset, p.length);
    return out;
}

std::string BlockStore::Verify() {
    std::string problems;
    for (uint64_t b : used_) {
        try {
            ReadBlock(b);
        } catch (const Error& e) {
            problems += (problems.empty() ? "" : "; ") + e.Message();
        }
    }
    return problems;
}

// ---- BlockStore::Writer ----

uint64_t BlockStore::Writer::Allocate() {
    uint64_t block = next_free_ < store_.free_.size() ? store_.free_[next_free_++] : end_++;
    used_.insert(block);
    return block;
}

uint64_t BlockStore::Writer::AllocateRun(uint64_t n) {
    // The root is written last: take the first run of n free blocks left, else the end.
    const std::vector<uint64_t>& free = store_.free_;
    for (size_t i = next_free_; i + n <= free.size(); ++i) {
        if (free[i + n - 1] - free[i] != n - 1) continue;
        next_free_ = i + n;
        return free[i];
    }
    uint64_t first = end_;
    end_ += n;
    return first;
}

void BlockStore::Writer::Flush() {
    if (fill_ == 8) return;
    std::memset(buffer_.data() + fill_, 0, kBlockSize - fill_);
    store_.WriteBlock(block_, buffer_);
    fill_ = 8;
}

BlobRef BlockStore::Writer::Write(std::string_view bytes) {
    BlobRef ref;
    size_t done = 0;
    while (done < bytes.size()) {
        if (fill_ == 8) block_ = Allocate();
        uint32_t take = static_cast<uint32_t>(std::min<size_t>(kBlockSize - fill_, bytes.size() - done));
        std::memcpy(buffer_.data() + fill_, bytes.data() + done, take);
        ref.pieces.push_back({block_, fill_ - 8, take});
        fill_ += take;
        done += take;
        if (fill_ == kBlockSize) Flush();
    }
    return ref;
}

void BlockStore::Writer::Keep(const BlobRef& ref) {
    for (const BlobRef::Piece& p : ref.pieces) used_.insert(p.block);
}

void BlockStore::Writer::Commit(std::string_view metadata) {
    Flush();
    // The used blocks as ranges, then the caller's metadata, in consecutive blocks past the end.
    BinaryWriter root;
    std::vector<std::pair<uint64_t, uint64_t>> ranges;
    for (uint64_t b : used_) {
        if (!ranges.empty() && ranges.back().first + ranges.back().second == b) ++ranges.back().second;
        else ranges.push_back({b, 1});
    }
    root.U64(ranges.size());
    for (auto& [start, count] : ranges) {
        root.U64(start);
        root.U64(count);
    }
    root.Raw(metadata.data(), metadata.size());
    const std::string& bytes = root.Bytes();
    uint64_t root_blocks = BlocksFor(bytes.size());
    uint64_t root_block = AllocateRun(root_blocks);
    std::string block(kBlockSize, '\0');
    for (uint64_t i = 0; i < root_blocks; ++i) {
        size_t start = i * kPayload, n = std::min<size_t>(kPayload, bytes.size() - start);
        std::memcpy(block.data() + 8, bytes.data() + start, n);
        std::memset(block.data() + 8 + n, 0, kPayload - n);
        store_.WriteBlock(root_block + i, block);
    }
    Slot slot;
    slot.sequence = store_.sequence_ + 1;
    slot.root_block = root_block;
    slot.root_bytes = bytes.size();
    slot.block_count = std::max(root_block + root_blocks, used_.empty() ? 0 : *used_.rbegin() + 1);
    store_.file_.Sync();
    int target = 1 - store_.slot_;
    std::string encoded = EncodeSlot(slot);
    store_.file_.WriteAt(encoded.data(), encoded.size(), kSlotOffset[target]);
    store_.file_.Sync();
    // The new checkpoint is durable: from here on only in-memory bookkeeping.
    store_.sequence_ = slot.sequence;
    store_.slot_ = target;
    store_.block_count_ = slot.block_count;
    store_.root_block_ = slot.root_block;
    store_.root_bytes_ = slot.root_bytes;
    store_.metadata_ = std::string(metadata);
    for (uint64_t b = root_block; b < root_block + root_blocks; ++b) used_.insert(b);
    store_.used_.assign(used_.begin(), used_.end());
    store_.free_.clear();
    size_t u = 0;
    for (uint64_t b = 0; b < store_.block_count_; ++b) {
        if (u < store_.used_.size() && store_.used_[u] == b) ++u;
        else store_.free_.push_back(b);
    }
    // Blocks past the new root belonged to older checkpoints only; give them back.
    try {
        if (store_.file_.Size() > BlockOffset(store_.block_count_)) store_.file_.Truncate(BlockOffset(store_.block_count_));
    } catch (const Error&) {
    }
}

}  // namespace grizzly::storage
