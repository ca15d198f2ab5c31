#pragma once
/// The .griz file as a store of checksummed blocks with an atomically switched
/// root, written copy-on-write: a checkpoint never overwrites a block that the
/// durable checkpoint uses, so a crash at any moment leaves that checkpoint
/// intact, and data that did not change since the last checkpoint is not
/// written again.
///
///   offset 0     header page (kHeaderSize bytes): magic "GRIZZLY\0", format
///                version, block size, XXH64 of those fields; then two root
///                slots at kSlotOffset[0..1], each {sequence, root block, root
///                bytes, block count, XXH64}. The slot with the highest
///                sequence whose checksum holds is the current checkpoint; a
///                checkpoint writes the other slot, so a torn slot write leaves
///                the previous checkpoint current.
///   offset 4096  block i at 4096 + i * kBlockSize: XXH64 of the rest of the
///                block, then kBlockSize - 8 bytes of payload.
///
/// Blobs (the bytes of one column segment, or the checkpoint's metadata) are
/// packed into blocks back to back and named by a BlobRef: pieces (block,
/// offset, length) in order. The root blob, in consecutive blocks, holds the
/// list of blocks the checkpoint uses (every other block is free for the next
/// checkpoint) followed by the caller's metadata.

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "storage/file/binary.hpp"
#include "storage/file/file_io.hpp"

namespace grizzly::storage {

inline constexpr uint32_t kFormatVersion = 2;
inline constexpr uint32_t kBlockSize = 256 * 1024;
inline constexpr uint64_t kHeaderSize = 4096;

/// Where a blob's bytes are: pieces in order.
struct BlobRef {
    struct Piece {
        uint64_t block = 0;
        uint32_t offset = 0;
        uint32_t length = 0;
    };
    std::vector<Piece> pieces;

    uint64_t Size() const;
    void Encode(BinaryWriter& w) const;
    /// Bounds-checked: a piece outside the block payload is corrupt.
    static BlobRef Decode(BinaryReader& r);
};

class BlockStore {
public:
    /// Opens `path`, which must exist; verifies the header and picks the current root.
    static std::unique_ptr<BlockStore> Open(const std::string& path, bool read_only);
    /// Creates `path` (replacing any file there) with a header and no checkpoint yet: the first
    /// Writer::Commit makes `sequence` its first. Until then the file does not open.
    static std::unique_ptr<BlockStore> Create(const std::string& path, uint64_t sequence);

    const std::string& Path() const { return file_.Path(); }
    uint64_t Sequence() const { return sequence_; }
    uint64_t FileBytes() const { return file_.Size(); }
    /// The caller's metadata of the current checkpoint.
    const std::string& Metadata() const { return metadata_; }
    /// A blob of the current checkpoint; every block it touches is checksum-verified.
    std::string Read(const BlobRef& ref);

    /// One checkpoint being written. Blocks are taken from those the current
    /// checkpoint does not use, then from the end of the file.
    class Writer {
    public:
        explicit Writer(BlockStore& store) : store_(store), buffer_(kBlockSize, '\0'), end_(store.block_count_) {}
        /// Packs `bytes` into new blocks.
        BlobRef Write(std::string_view bytes);
        /// Keeps a blob of the current checkpoint in the new one, unwritten.
        void Keep(const BlobRef& ref);
        /// Writes the root (block list + `metadata`), syncs, then switches the
        /// root slot and syncs again. On error nothing changes.
        void Commit(std::string_view metadata);

    private:
        BlockStore& store_;
        std::set<uint64_t> used_;  ///< blocks the new checkpoint uses
        std::string buffer_;       ///< the block being filled
        uint64_t block_ = 0;       ///< its number, valid while fill_ > 0
        uint32_t fill_ = 8;        ///< bytes of buffer_ in use (the checksum comes first)
        uint64_t next_free_ = 0;   ///< allocation cursor into store_.free_
        uint64_t end_;             ///< first block number past the file's blocks

        uint64_t Allocate();
        uint64_t AllocateRun(uint64_t n);
        void Flush();
    };

    /// Checksums of the header, the current root and every block it uses; empty when sound.
    std::string Verify();

private:
    explicit BlockStore(File file) : file_(std::move(file)) {}
    File file_;
    uint64_t sequence_ = 0;
    int slot_ = 0;                 ///< the slot holding the current root
    uint64_t block_count_ = 0;     ///< blocks in the file that the current root accounts for
    std::vector<uint64_t> used_;   ///< blocks of the current checkpoint, sorted
    std::vector<uint64_t> free_;   ///< blocks below block_count_ that it does not use
    std::string metadata_;
    uint64_t root_block_ = 0, root_bytes_ = 0;
    // The last block read and verified: blobs are read in the order they were written.
    uint64_t cached_block_ = UINT64_MAX;
    std::string cache_;

    void LoadRoot();
    const std::string& ReadBlock(uint64_t block);
    void WriteBlock(uint64_t block, std::string& bytes);
};

}  // namespace grizzly::storage
