// grizzly-sqllogictest: runs sqllogictest scripts against Grizzly.
//
//   grizzly-sqllogictest [--mode MODE] [--threads N] [--threshold PCT] [--verbose] [--fail-fast]
//                        [--slow] [--sample K/N] PATH...
//
// Prints one line per file, totals per top-level folder, and as the last line
// "N passed, N failed, N skipped". Exit status: 0 when passed/(passed+failed)
// reaches the threshold, 1 when it does not, 2 on bad usage or when a file
// cannot be run at all.

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iterator>
#include <iostream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "tests/sqllogictest/slt_runner.hpp"

namespace grizzly::slt {
namespace {

namespace fs = std::filesystem;

constexpr int kExitBelowThreshold = 1;
constexpr int kExitUsage = 2;

constexpr std::string_view kUsage =
    "usage: grizzly-sqllogictest [options] PATH...\n"
    "\n"
    "PATH is a .test file or a folder searched recursively (in sorted order).\n"
    "\n"
    "options:\n"
    "  --mode MODE        execution mode: interpret (default), jit, adaptive, differential\n"
"  --threads N        workers per query (SET threads); default: one per core\n"
    "  --threshold PCT    exit 0 when at least PCT percent of run records pass (default 100)\n"
    "  --verbose          print every failure with file:line, SQL, expected and actual\n"
    "  --fail-fast        stop at the first failure\n"
    "  --slow             also run .test_slow files found in folders\n"
    "  --sample K/N       run only the files whose index in sorted order is K modulo N\n"
    "  --help             show this text\n";

struct Options {
    RunOptions run;
    double threshold = 100.0;
    bool slow = false;
    uint64_t sample_k = 0;
    uint64_t sample_n = 1;
    std::vector<std::string> paths;
};

struct ScriptFile {
    std::string path;
    std::string group;  ///< top-level folder the file is totalled under
};

struct GroupTotal {
    std::string group;
    uint64_t files = 0;
    Counts counts;
};

bool ParseUnsigned(std::string_view text, uint64_t& out) {
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && ptr == text.data() + text.size();
}

bool ParseArgs(int argc, char** argv, Options& options, std::string& error) {
    std::vector<std::string_view> args(argv + 1, argv + argc);
    for (size_t idx = 0; idx < args.size(); ++idx) {
        std::string_view arg = args[idx];
        std::string_view value;
        bool has_inline_value = false;
        if (arg.substr(0, 2) == "--" && arg.find('=') != std::string_view::npos) {
            value = arg.substr(arg.find('=') + 1);
            arg = arg.substr(0, arg.find('='));
            has_inline_value = true;
        }
        auto take_value = [&]() -> bool {
            if (has_inline_value) return true;
            if (idx + 1 >= args.size()) {
                error = std::string(arg) + " needs a value";
                return false;
            }
            value = args[++idx];
            return true;
        };
        if (arg == "--mode") {
            if (!take_value()) return false;
            if (value != "interpret" && value != "jit" && value != "adaptive" && value != "differential") {
                error = "unknown mode '" + std::string(value) + "' (interpret, jit, adaptive or differential)";
                return false;
            }
            options.run.mode = std::string(value);
        } else if (arg == "--threads") {
            if (!take_value()) return false;
            if (!ParseUnsigned(value, options.run.threads) || options.run.threads < 1 || options.run.threads > 256) {
                error = "--threads takes a number from 1 to 256, not '" + std::string(value) + "'";
                return false;
            }
        } else if (arg == "--threshold") {
            if (!take_value()) return false;
            auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), options.threshold);
            if (ec != std::errc() || ptr != value.data() + value.size() || options.threshold < 0 ||
                options.threshold > 100) {
                error = "--threshold takes a percentage from 0 to 100, not '" + std::string(value) + "'";
                return false;
            }
        } else if (arg == "--sample") {
            if (!take_value()) return false;
            size_t slash = value.find('/');
            if (slash == std::string_view::npos || !ParseUnsigned(value.substr(0, slash), options.sample_k) ||
                !ParseUnsigned(value.substr(slash + 1), options.sample_n) || options.sample_n == 0 ||
                options.sample_k >= options.sample_n) {
                error = "--sample takes K/N with 0 <= K < N, not '" + std::string(value) + "'";
                return false;
            }
        } else if (has_inline_value) {
            error = "option " + std::string(arg) + " takes no value";
            return false;
        } else if (arg == "--verbose" || arg == "-v") {
            options.run.verbose = true;
        } else if (arg == "--fail-fast") {
            options.run.fail_fast = true;
        } else if (arg == "--slow") {
            options.slow = true;
        } else if (arg == "--help" || arg == "-h") {
            std::cout << kUsage;
            std::exit(0);
        } else if (arg.size() > 1 && arg[0] == '-') {
            error = "unknown option " + std::string(arg);
            return false;
        } else {
            options.paths.emplace_back(arg);
        }
    }
    if (options.paths.empty()) {
        error = "no PATH given";
        return false;
    }
    return true;
}

bool IsScript(const fs::path& path, bool slow) {
    fs::path ext = path.extension();
    return ext == ".test" || (slow && ext == ".test_slow");
}

// Expands every PATH into script files: folders recursively, each folder's
// files in sorted order, so --sample picks the same files on every machine.
bool CollectFiles(const Options& options, std::vector<ScriptFile>& files, std::string& error) {
    for (const std::string& root_text : options.paths) {
        fs::path root = fs::path(root_text).lexically_normal();
        // "dir/" and "dir" must total under the same group name.
        if (!root.has_filename() && root.has_relative_path()) root = root.parent_path();
        std::error_code ec;
        if (fs::is_regular_file(root, ec)) {
            fs::path parent = root.parent_path();
            files.push_back(ScriptFile{root.generic_string(), parent.empty() ? "." : parent.generic_string()});
            continue;
        }
        if (!fs::is_directory(root, ec)) {
            error = root_text + ": no such file or folder";
            return false;
        }
        std::vector<fs::path> found;
        fs::recursive_directory_iterator it(root, fs::directory_options::follow_directory_symlink, ec);
        for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
            if (it->is_regular_file(ec) && IsScript(it->path(), options.slow)) found.push_back(it->path());
        }
        if (ec) {
            error = root_text + ": " + ec.message();
            return false;
        }
        std::sort(found.begin(), found.end());
        for (const fs::path& path : found) {
            fs::path relative = path.lexically_relative(root);
            fs::path group = root;
            if (std::distance(relative.begin(), relative.end()) > 1) group /= *relative.begin();
            files.push_back(ScriptFile{path.generic_string(), group.generic_string()});
        }
    }
    return true;
}

std::string FormatCounts(const Counts& counts) {
    return std::to_string(counts.passed) + " passed, " + std::to_string(counts.Failed()) + " failed, " +
           std::to_string(counts.skipped) + " skipped";
}

int Run(int argc, char** argv) {
    Options options;
    std::string error;
    if (!ParseArgs(argc, argv, options, error)) {
        std::cerr << "grizzly-sqllogictest: " << error << "\n\n" << kUsage;
        return kExitUsage;
    }
    std::vector<ScriptFile> files;
    if (!CollectFiles(options, files, error)) {
        std::cerr << "grizzly-sqllogictest: " << error << '\n';
        return kExitUsage;
    }

    Runner runner(options.run, std::cout);
    std::vector<GroupTotal> groups;
    Counts total;
    for (size_t file_idx = 0; file_idx < files.size(); ++file_idx) {
        if (file_idx % options.sample_n != options.sample_k) continue;
        const ScriptFile& file = files[file_idx];
        FileReport report = runner.RunFile(file.path);
        if (report.setup_failed) {
            std::cout.flush();
            std::cerr << "grizzly-sqllogictest: " << report.setup_error << '\n';
            return kExitUsage;
        }
        std::cout << file.path << ": " << FormatCounts(report.counts) << '\n' << std::flush;
        // Files of one group are adjacent (sorted per root), but roots may repeat a group.
        auto group = std::find_if(groups.begin(), groups.end(), [&](const GroupTotal& g) { return g.group == file.group; });
        if (group == groups.end()) group = groups.insert(groups.end(), GroupTotal{file.group, 0, {}});
        ++group->files;
        group->counts += report.counts;
        total += report.counts;
        if (report.stopped) break;
    }

    std::cout << '\n';
    for (const GroupTotal& group : groups) {
        std::cout << group.group << "/ (" << group.files << (group.files == 1 ? " file" : " files")
                  << "): " << FormatCounts(group.counts) << '\n';
    }
    uint64_t ran = total.passed + total.Failed();
    double rate = ran == 0 ? 100.0 : 100.0 * static_cast<double>(total.passed) / static_cast<double>(ran);
    char rate_text[32];
    std::snprintf(rate_text, sizeof(rate_text), "%.2f", rate);
    std::cout << "failures: " << total.wrong_results << " wrong result, " << total.unexpected_errors
              << " unexpected error, " << total.missing_errors << " missing error, " << total.malformed
              << " malformed record\n";
    std::cout << "pass rate: " << rate_text << "% (threshold " << options.threshold << "%)\n";
    std::cout << FormatCounts(total) << '\n' << std::flush;
    // Compare counts, not the rounded rate, so 100% means every record passed.
    bool reached = static_cast<double>(total.passed) * 100.0 >= options.threshold * static_cast<double>(ran);
    return reached ? 0 : kExitBelowThreshold;
}

}  // namespace
}  // namespace grizzly::slt

int main(int argc, char** argv) {
    try {
        return grizzly::slt::Run(argc, argv);
    } catch (const std::exception& e) {
        // Record failures are caught per record; reaching here means the run
        // itself broke (e.g. the database could not be created).
        std::cerr << "grizzly-sqllogictest: " << e.what() << '\n';
        return 2;
    }
}
