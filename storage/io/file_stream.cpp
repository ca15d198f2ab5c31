#include "storage/io/file_stream.hpp"

#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "common/error.hpp"

namespace grizzly::storage {

namespace {

bool EndsWith(const std::string& s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Error IoFailure(const std::string& what, const std::string& path) {
    return Error(SqlState::IoError, "could not " + what + " file \"" + path + "\": " + std::strerror(errno));
}

struct FileCloser {
    void operator()(FILE* f) const {
        if (f) std::fclose(f);
    }
};
using FilePtr = std::unique_ptr<FILE, FileCloser>;

class PlainInput : public InputStream {
public:
    PlainInput(FilePtr file, std::string path) : file_(std::move(file)), path_(std::move(path)) {}
    size_t Read(char* buffer, size_t size) override {
        size_t n = std::fread(buffer, 1, size, file_.get());
        if (n == 0 && std::ferror(file_.get())) throw IoFailure("read", path_);
        return n;
    }

private:
    FilePtr file_;
    std::string path_;
};

class ZstdInput : public InputStream {
public:
    ZstdInput(FilePtr file, std::string path)
        : file_(std::move(file)), path_(std::move(path)), stream_(ZSTD_createDStream()), in_(ZSTD_DStreamInSize()) {
        ZSTD_initDStream(stream_);
    }
    ~ZstdInput() override { ZSTD_freeDStream(stream_); }

    size_t Read(char* buffer, size_t size) override {
        ZSTD_outBuffer out{buffer, size, 0};
        while (out.pos == 0) {
            if (input_.pos == input_.size) {
                size_t n = std::fread(in_.data(), 1, in_.size(), file_.get());
                if (n == 0) {
                    if (std::ferror(file_.get())) throw IoFailure("read", path_);
                    if (!frame_done_) throw Error(SqlState::IoError, "file \"" + path_ + "\" is a truncated zstd stream");
                    return 0;
                }
                input_ = ZSTD_inBuffer{in_.data(), n, 0};
            }
            size_t rc = ZSTD_decompressStream(stream_, &out, &input_);
            if (ZSTD_isError(rc))
                throw Error(SqlState::IoError, "could not decompress \"" + path_ + "\": " + ZSTD_getErrorName(rc));
            frame_done_ = rc == 0;
        }
        return out.pos;
    }

private:
    FilePtr file_;
    std::string path_;
    ZSTD_DStream* stream_;
    std::vector<char> in_;
    ZSTD_inBuffer input_{nullptr, 0, 0};
    bool frame_done_ = true;
};

class PlainOutput : public OutputStream {
public:
    PlainOutput(FilePtr file, std::string path) : file_(std::move(file)), path_(std::move(path)) {}
    void Write(std::string_view bytes) override {
        if (std::fwrite(bytes.data(), 1, bytes.size(), file_.get()) != bytes.size()) throw IoFailure("write", path_);
    }
    void Close() override {
        FILE* f = file_.release();
        if (f && std::fclose(f) != 0) throw IoFailure("write", path_);
    }

private:
    FilePtr file_;
    std::string path_;
};

class ZstdOutput : public OutputStream {
public:
    ZstdOutput(FilePtr file, std::string path)
        : file_(std::move(file), path), stream_(ZSTD_createCStream()), out_(ZSTD_CStreamOutSize()) {
        ZSTD_initCStream(stream_, 3);
    }
    ~ZstdOutput() override { ZSTD_freeCStream(stream_); }

    void Write(std::string_view bytes) override {
        ZSTD_inBuffer in{bytes.data(), bytes.size(), 0};
        while (in.pos < in.size) {
            ZSTD_outBuffer out{out_.data(), out_.size(), 0};
            size_t rc = ZSTD_compressStream(stream_, &out, &in);
            if (ZSTD_isError(rc)) throw Error(SqlState::IoError, std::string("zstd: ") + ZSTD_getErrorName(rc));
            file_.Write(std::string_view(out_.data(), out.pos));
        }
    }
    void Close() override {
        size_t rc;
        do {
            ZSTD_outBuffer out{out_.data(), out_.size(), 0};
            rc = ZSTD_endStream(stream_, &out);
            if (ZSTD_isError(rc)) throw Error(SqlState::IoError, std::string("zstd: ") + ZSTD_getErrorName(rc));
            file_.Write(std::string_view(out_.data(), out.pos));
        } while (rc != 0);
        file_.Close();
    }

private:
    PlainOutput file_;
    ZSTD_CStream* stream_;
    std::vector<char> out_;
};

}  // namespace

std::unique_ptr<InputStream> OpenInput(const std::string& path) {
    FilePtr file(std::fopen(path.c_str(), "rb"));
    if (!file) {
        if (errno == ENOENT)
            throw Error(SqlState::UndefinedFile, "could not open file \"" + path + "\": No such file or directory");
        throw IoFailure("open", path);
    }
    if (EndsWith(path, ".zst")) return std::make_unique<ZstdInput>(std::move(file), path);
    return std::make_unique<PlainInput>(std::move(file), path);
}

std::unique_ptr<OutputStream> OpenOutput(const std::string& path) {
    FilePtr file(std::fopen(path.c_str(), "wb"));
    if (!file) throw IoFailure("open", path);
    if (EndsWith(path, ".zst")) return std::make_unique<ZstdOutput>(std::move(file), path);
    return std::make_unique<PlainOutput>(std::move(file), path);
}

}  // namespace grizzly::storage
