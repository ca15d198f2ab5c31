#include "tools/shell/line_editor.hpp"

#include <editline/readline.h>
#include <unistd.h>

#include <atomic>
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
std::atomic<grizzly::Connection*> g_running{nullptr};
volatile sig_atomic_t g_interrupt_requested = 0;

void HandleInterrupt(int /*signal*/) {
    if (g_jump_armed) {
        g_jump_armed = 0;
        siglongjmp(g_readline_jump, 1);
    }
    if (grizzly::Connection* running = g_running.load()) {
        if (g_interrupt_requested) _exit(130);
        g_interrupt_requested = 1;
        running->Interrupt();
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

void SetStatementRunning(grizzly::Connection* connection) {
    g_interrupt_requested = 0;
    g_running.store(connection);
}

}  // namespace grizzly::shell
