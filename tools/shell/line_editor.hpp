#pragma once
/// Line editing for the interactive shell, on libedit's readline interface:
/// prompts, history saved across runs, and Ctrl-C handling. Ctrl-C while a line
/// is being edited discards the line and the statement being typed; Ctrl-C while
/// a statement runs is recorded for the (future) cancellation hook.

#include <string>

#include "api/api.hpp"

namespace grizzly::shell {

enum class ReadStatus : uint8_t {
    Line,         ///< a line was read
    Interrupted,  ///< Ctrl-C: the line (and any pending statement) is discarded
    EndOfInput,   ///< Ctrl-D on an empty line
};

/// The process's one line editor (libedit keeps global state). Create it once,
/// from the main thread.
class LineEditor {
public:
    /// Loads history from `history_path` (created on the first entry) and
    /// installs the SIGINT handler.
    explicit LineEditor(std::string history_path);
    ~LineEditor();
    LineEditor(const LineEditor&) = delete;
    LineEditor& operator=(const LineEditor&) = delete;

    /// Shows `prompt` and reads one line into `line`.
    ReadStatus ReadLine(const char* prompt, std::string& line);
    /// Appends an entry to the history and saves the history file, so that a
    /// crash or kill loses nothing.
    void AddHistory(const std::string& entry);

private:
    std::string history_path_;
};

/// Marks the start and end of a running statement for the SIGINT handler: Ctrl-C
/// during a statement interrupts `connection` (which only sets a flag, so it is
/// safe from a signal handler); a second Ctrl-C before the statement stops quits.
void SetStatementRunning(grizzly::Connection* connection);

}  // namespace grizzly::shell
