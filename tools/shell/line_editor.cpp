#include "tools/shell/line_editor.hpp"

#include <editline/readline.h>
#include <unistd.h>

#include <csetjmp>
#include <csignal>
#include <cstdlib>

namespace grizzly::shell {

namespace {

// libedit's readline() cannot be told to abandon a line, so Ctrl-C jumps out
// of it from the signal handler, as psql does. Only ReadLineOrJump's frame,
// which holds no C++ objects, lies between the jump and its target.
sigjmp_buf g_readline_jump;
volatile sig_atomic_t g_jump_armed = 0;
volatile sig_atomic_t g_statement_running = 0;
volatile sig_atomic_t g_interrupt_requested = 0;

void HandleInterrupt(int /*signal*/) {
    if (g_jump_armed) {
        g_jump_armed = 0;
        siglongjmp(g_readline_jump, 1);
    }
    if (g_statement_running) {
        if (g_interrupt_requested) _exit(130);
        g_interrupt_requested = 1;
        // TODO(shell): cancel the running statement here once the engine has a hook.
        static constexpr char kNote[] =
            "\nInterrupt: cancelling a running statement is not supported yet; press Ctrl-C again to quit.\n";
        ssize_t written = write(STDERR_FILENO, kNote, sizeof(kNote) - 1);
        (void)written;
    }
}

char* ReadLineOrJump(const char* prompt, bool* interrupted) {
    if (sigsetjmp(g_readline_jump, 1) != 0) {
        *interrupted = true;
        return nullptr;
    }
    g_jump_armed = 1;
    char* line = readline(prompt);
    g_jump_armed = 0;
    return line;
}

}  // namespace

LineEditor::LineEditor(std::string history_path) : history_path_(std::move(history_path)) {
    rl_readline_name = "grizzly";
    using_history();
    stifle_history(2000);
    read_history(history_path_.c_str());
    struct sigaction action = {};
    action.sa_handler = HandleInterrupt;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
}

LineEditor::~LineEditor() { signal(SIGINT, SIG_DFL); }

ReadStatus LineEditor::ReadLine(const char* prompt, std::string& line) {
    bool interrupted = false;
    char* raw = ReadLineOrJump(prompt, &interrupted);
    if (interrupted) {
        // The jump skipped readline's own cleanup; the next readline() call
        // resets the line and the terminal mode.
        ssize_t written = write(STDOUT_FILENO, "^C\n", 3);
        (void)written;
        return ReadStatus::Interrupted;
    }
    if (raw == nullptr) return ReadStatus::EndOfInput;
    line = raw;
    free(raw);
    return ReadStatus::Line;
}

void LineEditor::AddHistory(const std::string& entry) {
    add_history(entry.c_str());
    write_history(history_path_.c_str());
}

void SetStatementRunning(bool running) {
    g_interrupt_requested = 0;
    g_statement_running = running ? 1 : 0;
}

}  // namespace grizzly::shell
