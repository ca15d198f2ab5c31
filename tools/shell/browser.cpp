#include "tools/shell/browser.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <vector>

namespace grizzly::shell {

namespace {

// Widest a column is drawn; longer values end in an ellipsis.
constexpr size_t kMaxColumnWidth = 30;
// Rows read up front to size the columns; later rows can only widen them, when
// they come into view, so a million-row result costs no full scan to open.
constexpr size_t kWidthSampleRows = 1000;
// The bytes of an escape sequence arrive together; an ESC followed by nothing
// within this time is the Esc key.
constexpr int kEscapeTimeoutMs = 50;
// Drawn between columns, and between the row numbers and the first column.
constexpr std::string_view kSeparator = " │ ";
constexpr size_t kSeparatorWidth = 3;
constexpr std::string_view kEllipsis = "…";

constexpr std::string_view kSgrReset = "\033[0m";
constexpr std::string_view kSgrHeader = "\033[1;4m";  // bold, underlined
constexpr std::string_view kSgrDim = "\033[2m";       // NULL and row numbers
constexpr std::string_view kSgrReverse = "\033[7m";   // the status line and the search match

constexpr std::string_view kKeyHelp = "↑↓←→ PgUp/PgDn g/G  / search  n next  q quit";

struct ScreenSize {
    size_t rows = 24;
    size_t columns = 80;
};

/*----- text -----*/

size_t Utf8Length(unsigned char lead) {
    if (lead >= 0xF0 && lead <= 0xF7) return 4;
    if (lead >= 0xE0) return lead <= 0xEF ? 3 : 1;
    if (lead >= 0xC0) return 2;
    return 1;
}

// Cell text made safe for one screen line: newlines show as ↵, tabs as a space,
// and other control characters (which could move the cursor or recolour the
// screen) as '?'.
std::string Sanitize(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (size_t pos = 0; pos < text.size(); ++pos) {
        auto byte = static_cast<unsigned char>(text[pos]);
        if (byte == '\n') out += "↵";
        else if (byte == '\t') out += ' ';
        else if (byte < 0x20 || byte == 0x7F) out += '?';
        else if (byte == 0xC2 && pos + 1 < text.size() && static_cast<unsigned char>(text[pos + 1]) < 0xA0 &&
                 static_cast<unsigned char>(text[pos + 1]) >= 0x80) {
            out += '?';  // a C1 control character, U+0080..U+009F
            ++pos;
        } else out += static_cast<char>(byte);
    }
    return out;
}

// `text` cut to at most `width` display columns, ending in an ellipsis when cut.
std::string FitText(std::string_view text, size_t width) {
    if (DisplayWidth(text) <= width) return std::string(text);
    if (width == 0) return {};
    size_t pos = 0, used = 0;
    while (pos < text.size()) {
        size_t length = std::min(Utf8Length(static_cast<unsigned char>(text[pos])), text.size() - pos);
        size_t char_width = DisplayWidth(text.substr(pos, length));
        if (used + char_width > width - 1) break;
        used += char_width;
        pos += length;
    }
    return std::string(text.substr(0, pos)) + std::string(kEllipsis);
}

std::string Pad(std::string_view text, size_t width, bool right_aligned) {
    size_t text_width = DisplayWidth(text);
    std::string gap(text_width >= width ? 0 : width - text_width, ' ');
    return right_aligned ? gap + std::string(text) : std::string(text) + gap;
}

std::string AsciiLower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

/*----- the terminal -----*/

enum class KeyCode : uint8_t {
    Char,  ///< a printable character, in Key::text
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
    Enter,
    Escape,
    Backspace,
    ClearLine,  ///< Ctrl-U
    Interrupt,  ///< Ctrl-C: raw mode delivers it as a key, not as SIGINT
    Resize,     ///< the window changed size
    EndOfInput,
    Other,
};

struct Key {
    KeyCode code = KeyCode::Other;
    std::string text;  ///< the UTF-8 character of a KeyCode::Char
};

// The write end of the self-pipe that wakes the key reader on SIGWINCH.
volatile sig_atomic_t g_resize_fd = -1;

void OnResize(int /*signal*/) {
    int saved_errno = errno;
    if (g_resize_fd >= 0) {
        ssize_t written = write(g_resize_fd, "r", 1);
        (void)written;  // a full pipe already holds a wake-up
    }
    errno = saved_errno;
}

void WriteAll(std::string_view text) {
    while (!text.empty()) {
        ssize_t written = write(STDOUT_FILENO, text.data(), text.size());
        if (written < 0) {
            if (errno == EINTR) continue;
            return;  // the terminal went away; nothing left to show anything on
        }
        text.remove_prefix(static_cast<size_t>(written));
    }
}

// Owns the terminal while the browser runs: raw mode, the alternate screen, a
// hidden cursor, no line wrap and the SIGWINCH handler. The destructor restores
// all of it, so every way out of Browse leaves the shell's terminal as it was.
class TerminalSession {
public:
    TerminalSession() {
        if (tcgetattr(STDIN_FILENO, &saved_mode_) != 0) throw std::runtime_error("cannot read the terminal mode");
        if (pipe(wake_pipe_) != 0) throw std::runtime_error("cannot create a pipe");
        for (int fd : wake_pipe_) {
            fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
            fcntl(fd, F_SETFD, FD_CLOEXEC);
        }
        g_resize_fd = wake_pipe_[1];
        struct sigaction action = {};
        action.sa_handler = OnResize;
        sigemptyset(&action.sa_mask);
        sigaction(SIGWINCH, &action, &saved_winch_);

        termios raw = saved_mode_;
        raw.c_iflag &= ~static_cast<tcflag_t>(BRKINT | ICRNL | INPCK | ISTRIP | IXON);
        raw.c_oflag &= ~static_cast<tcflag_t>(OPOST);
        raw.c_cflag |= CS8;
        raw.c_lflag &= ~static_cast<tcflag_t>(ECHO | ICANON | IEXTEN | ISIG);
        raw.c_cc[VMIN] = 1;
        raw.c_cc[VTIME] = 0;
        if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw) != 0) {
            RestoreSignalAndPipe();
            throw std::runtime_error("cannot switch the terminal to raw mode");
        }
        WriteAll("\033[?1049h\033[?25l\033[?7l");
    }

    ~TerminalSession() {
        WriteAll("\033[0m\033[?7h\033[?25h\033[?1049l");
        // Flushing drops keys typed ahead (a held-down arrow) instead of feeding
        // their escape sequences to the line editor.
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_mode_);
        RestoreSignalAndPipe();
    }

    TerminalSession(const TerminalSession&) = delete;
    TerminalSession& operator=(const TerminalSession&) = delete;

    static ScreenSize Size() {
        winsize size = {};
        ScreenSize out;
        if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_row > 0 && size.ws_col > 0) {
            out.rows = size.ws_row;
            out.columns = size.ws_col;
        }
        return out;
    }

    /// Blocks until a key is pressed or the window is resized.
    Key ReadKey() {
        while (true) {
            bool timed_out = false;
            if (!pending_.empty()) {
                if (std::optional<Key> key = Decode(false)) return *key;
            }
            pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
            int ready = poll(fds, 2, pending_.empty() ? -1 : kEscapeTimeoutMs);
            if (ready < 0) {
                if (errno == EINTR) continue;
                return {KeyCode::EndOfInput, {}};
            }
            if (ready == 0) timed_out = true;
            if (fds[1].revents & POLLIN) {
                char drain[64];
                while (read(wake_pipe_[0], drain, sizeof(drain)) > 0) {
                }
                return {KeyCode::Resize, {}};
            }
            if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
                char buffer[256];
                ssize_t count = read(STDIN_FILENO, buffer, sizeof(buffer));
                if (count < 0 && errno == EINTR) continue;
                if (count <= 0) return {KeyCode::EndOfInput, {}};
                pending_.append(buffer, static_cast<size_t>(count));
            }
            if (timed_out) {
                if (std::optional<Key> key = Decode(true)) return *key;
            }
        }
    }

private:
    void RestoreSignalAndPipe() {
        sigaction(SIGWINCH, &saved_winch_, nullptr);
        g_resize_fd = -1;
        close(wake_pipe_[0]);
        close(wake_pipe_[1]);
    }

    Key Take(size_t length, KeyCode code) {
        Key key{code, code == KeyCode::Char ? pending_.substr(0, length) : std::string()};
        pending_.erase(0, length);
        return key;
    }

    // Decodes the first key of pending_, or nullopt when its bytes are not all
    // there yet. With `timed_out`, an incomplete sequence is taken as it is.
    std::optional<Key> Decode(bool timed_out) {
        auto byte = static_cast<unsigned char>(pending_[0]);
        if (byte == 0x1B) {
            if (pending_.size() == 1) return timed_out ? std::optional<Key>(Take(1, KeyCode::Escape)) : std::nullopt;
            if (pending_[1] != '[' && pending_[1] != 'O') return Take(1, KeyCode::Escape);
            // CSI or SS3: parameters, then a final byte in 0x40..0x7E.
            size_t end = 2;
            while (end < pending_.size() && (pending_[end] < 0x40 || pending_[end] > 0x7E)) ++end;
            if (end == pending_.size()) return timed_out ? std::optional<Key>(Take(end, KeyCode::Other)) : std::nullopt;
            std::string params = pending_.substr(2, end - 2);
            int number = std::atoi(params.c_str());
            KeyCode code = KeyCode::Other;
            switch (pending_[end]) {
            case 'A': code = KeyCode::Up; break;
            case 'B': code = KeyCode::Down; break;
            case 'C': code = KeyCode::Right; break;
            case 'D': code = KeyCode::Left; break;
            case 'H': code = KeyCode::Home; break;
            case 'F': code = KeyCode::End; break;
            case '~':
                if (number == 1 || number == 7) code = KeyCode::Home;
                else if (number == 4 || number == 8) code = KeyCode::End;
                else if (number == 5) code = KeyCode::PageUp;
                else if (number == 6) code = KeyCode::PageDown;
                break;
            default: break;
            }
            return Take(end + 1, code);
        }
        switch (byte) {
        case '\r':
        case '\n': return Take(1, KeyCode::Enter);
        case 0x7F:
        case 0x08: return Take(1, KeyCode::Backspace);
        case 0x03: return Take(1, KeyCode::Interrupt);
        case 0x15: return Take(1, KeyCode::ClearLine);
        case 0x02: return Take(1, KeyCode::PageUp);    // Ctrl-B, as in less and vi
        case 0x06: return Take(1, KeyCode::PageDown);  // Ctrl-F
        default: break;
        }
        if (byte < 0x20) return Take(1, KeyCode::Other);
        size_t length = Utf8Length(byte);
        if (pending_.size() < length) {
            return timed_out ? std::optional<Key>(Take(pending_.size(), KeyCode::Other)) : std::nullopt;
        }
        return Take(length, KeyCode::Char);
    }

    termios saved_mode_ = {};
    struct sigaction saved_winch_ = {};
    int wake_pipe_[2] = {-1, -1};
    std::string pending_;  ///< bytes read but not decoded into keys yet
};

/*----- the view -----*/

// One column on the screen: which one and how wide it is drawn.
struct VisibleColumn {
    size_t col = 0;
    size_t width = 0;
    bool cut = false;  ///< narrower than the column: the screen ends inside it
};

// The browser's state and drawing, apart from the terminal: keys in, screens out.
class Browser {
public:
    explicit Browser(const TableSource& source)
        : source_(source), row_count_(source.RowCount()), column_count_(source.ColumnCount()) {
        names_.resize(column_count_);
        right_aligned_.resize(column_count_);
        widths_.resize(column_count_);
        for (size_t col_idx = 0; col_idx < column_count_; ++col_idx) {
            names_[col_idx] = Sanitize(source.ColumnName(col_idx));
            right_aligned_[col_idx] = source.Kind(col_idx) == ColumnKind::Number;
            widths_[col_idx] = std::min(kMaxColumnWidth, std::max<size_t>(1, DisplayWidth(names_[col_idx])));
        }
        size_t sample = std::min(row_count_, kWidthSampleRows);
        for (size_t row_idx = 0; row_idx < sample; ++row_idx)
            for (size_t col_idx = 0; col_idx < column_count_; ++col_idx) Widen(col_idx, CellText(row_idx, col_idx));
        gutter_width_ = std::to_string(std::max<size_t>(row_count_, 1)).size();
    }

    /// Handles one key at the screen size of the last Render; false means quit.
    bool Handle(const Key& key) {
        if (prompting_) {
            HandlePromptKey(key);
            return true;
        }
        message_.clear();
        size_t page = PageRows();
        switch (key.code) {
        case KeyCode::Escape:
        case KeyCode::Interrupt:
        case KeyCode::EndOfInput: return false;
        case KeyCode::Up: ScrollTo(top_row_ > 0 ? top_row_ - 1 : 0); break;
        case KeyCode::Down:
        case KeyCode::Enter: ScrollTo(top_row_ + 1); break;
        case KeyCode::PageUp: ScrollTo(top_row_ > page ? top_row_ - page : 0); break;
        case KeyCode::PageDown: ScrollTo(top_row_ + page); break;
        case KeyCode::Home: ScrollTo(0); break;
        case KeyCode::End: ScrollTo(row_count_); break;
        case KeyCode::Left:
            if (first_col_ > 0) --first_col_;
            break;
        case KeyCode::Right:
            if (!LastColumnVisible()) ++first_col_;
            break;
        case KeyCode::Char:
            if (key.text == "q" || key.text == "Q") return false;
            if (key.text == "j") ScrollTo(top_row_ + 1);
            else if (key.text == "k") ScrollTo(top_row_ > 0 ? top_row_ - 1 : 0);
            else if (key.text == " ") ScrollTo(top_row_ + page);
            else if (key.text == "b") ScrollTo(top_row_ > page ? top_row_ - page : 0);
            else if (key.text == "g") ScrollTo(0);
            else if (key.text == "G") ScrollTo(row_count_);
            else if (key.text == "h" && first_col_ > 0) --first_col_;
            else if (key.text == "l" && !LastColumnVisible()) ++first_col_;
            else if (key.text == "/") {
                prompting_ = true;
                prompt_text_.clear();
            } else if (key.text == "n") Search(true);
            break;
        default: break;
        }
        return true;
    }

    /// The whole screen for a terminal of `size`, as text with escape sequences.
    std::string Render(ScreenSize size) {
        size_ = size;
        ScrollTo(top_row_);  // a taller window may show more rows at the end
        size_t page = PageRows();
        size_t shown_rows = std::min(page, row_count_ - top_row_);
        // Rows coming into view may widen their columns before the layout is chosen.
        // Widths only grow, so columns past the screen's edge stay past it.
        size_t used = gutter_width_;
        for (size_t col_idx = first_col_; col_idx < column_count_ && used < size.columns; ++col_idx) {
            for (size_t row_idx = top_row_; row_idx < top_row_ + shown_rows; ++row_idx)
                Widen(col_idx, CellText(row_idx, col_idx));
            used += kSeparatorWidth + widths_[col_idx];
        }
        std::vector<VisibleColumn> columns = Layout();
        size_t line_width = gutter_width_;
        for (const VisibleColumn& column : columns) line_width += kSeparatorWidth + column.width;
        // With line wrap off the cursor stays on a full line's last character,
        // which erasing to the end of the line would wipe out.
        std::string_view erase_rest = line_width < size.columns ? "\033[K" : "";

        std::string screen = "\033[?25l";
        auto line_at = [&](size_t line_idx) { screen += "\033[" + std::to_string(line_idx + 1) + ";1H"; };

        line_at(0);
        screen += std::string(gutter_width_, ' ');
        for (const VisibleColumn& column : columns) {
            screen += kSeparator;
            screen += kSgrHeader;
            screen += Pad(FitText(names_[column.col], column.width), column.width, right_aligned_[column.col]);
            screen += kSgrReset;
        }
        screen += erase_rest;

        for (size_t line_idx = 0; line_idx < page; ++line_idx) {
            line_at(line_idx + 1);
            size_t row_idx = top_row_ + line_idx;
            if (line_idx < shown_rows) {
                screen += kSgrDim;
                screen += Pad(std::to_string(row_idx + 1), gutter_width_, true);
                screen += kSgrReset;
                for (const VisibleColumn& column : columns) {
                    screen += kSeparator;
                    screen += DrawCell(row_idx, column);
                }
                screen += erase_rest;
            } else {
                screen += "\033[K";
            }
        }

        line_at(size.rows > 0 ? size.rows - 1 : 0);
        if (prompting_) {
            // The cursor shows where typing goes, and only here.
            screen += FitText("/" + Sanitize(prompt_text_), size.columns > 0 ? size.columns - 1 : 0);
            screen += "\033[K\033[?25h";
            return screen;
        }
        std::string status = StatusText(columns);
        status += "  ";
        status += message_.empty() ? std::string(kKeyHelp) : message_;
        screen += kSgrReverse;
        screen += Pad(FitText(status, size.columns), size.columns, false);
        screen += kSgrReset;
        return screen;
    }

private:
    // Rows of data on the screen: all lines but the header and the status line.
    size_t PageRows() const { return size_.rows > 2 ? size_.rows - 2 : 1; }

    void ScrollTo(size_t row) {
        size_t page = PageRows();
        size_t last_top = row_count_ > page ? row_count_ - page : 0;
        top_row_ = std::min(row, last_top);
    }

    std::optional<std::string> CellText(size_t row_idx, size_t col_idx) const {
        std::optional<std::string> cell = source_.Cell(row_idx, col_idx);
        if (cell) *cell = Sanitize(*cell);
        return cell;
    }

    void Widen(size_t col_idx, const std::optional<std::string>& text) {
        size_t width = text ? DisplayWidth(*text) : 4;  // "NULL"
        widths_[col_idx] = std::max(widths_[col_idx], std::min(width, kMaxColumnWidth));
    }

    // The columns that fit the screen from first_col_ on; the first one is
    // always shown, cut to the screen if it must be.
    std::vector<VisibleColumn> Layout() const {
        std::vector<VisibleColumn> columns;
        size_t used = gutter_width_;
        for (size_t col_idx = first_col_; col_idx < column_count_; ++col_idx) {
            if (used + kSeparatorWidth >= size_.columns) break;
            size_t room = size_.columns - used - kSeparatorWidth;
            size_t width = widths_[col_idx];
            if (width <= room) {
                columns.push_back({col_idx, width, false});
                used += kSeparatorWidth + width;
                continue;
            }
            // A sliver of a column says little; show it only when it is the only one.
            if (columns.empty() || room >= std::min<size_t>(width, 6)) columns.push_back({col_idx, room, true});
            break;
        }
        return columns;
    }

    bool LastColumnVisible() const {
        std::vector<VisibleColumn> columns = Layout();
        return columns.empty() || (columns.back().col + 1 == column_count_ && !columns.back().cut);
    }

    std::string DrawCell(size_t row_idx, const VisibleColumn& column) const {
        std::optional<std::string> cell = CellText(row_idx, column.col);
        bool right = right_aligned_[column.col];
        if (!cell) {
            // Dim, so that NULL differs from the string 'NULL'.
            std::string text = FitText("NULL", column.width);
            std::string gap(column.width - DisplayWidth(text), ' ');
            return (right ? gap : "") + std::string(kSgrDim) + text + std::string(kSgrReset) + (right ? "" : gap);
        }
        std::string text = Pad(FitText(*cell, column.width), column.width, right);
        if (match_ && match_->first == row_idx && match_->second == column.col)
            return std::string(kSgrReverse) + text + std::string(kSgrReset);
        return text;
    }

    std::string StatusText(const std::vector<VisibleColumn>& columns) const {
        std::string status;
        if (row_count_ == 0) status = "no rows";
        else
            status = "rows " + std::to_string(top_row_ + 1) + "–" +
                     std::to_string(std::min(row_count_, top_row_ + PageRows())) + " of " + std::to_string(row_count_);
        status += ", columns ";
        if (columns.empty()) status += "none";
        else status += std::to_string(columns.front().col + 1) + "–" + std::to_string(columns.back().col + 1);
        return status + " of " + std::to_string(column_count_);
    }

    void HandlePromptKey(const Key& key) {
        switch (key.code) {
        case KeyCode::Char: prompt_text_ += key.text; break;
        case KeyCode::Backspace:
            if (prompt_text_.empty()) {
                prompting_ = false;  // backspacing over the '/' leaves the prompt, as in less
                break;
            }
            // Remove one UTF-8 character: its continuation bytes, then its lead byte.
            while (!prompt_text_.empty() && (static_cast<unsigned char>(prompt_text_.back()) & 0xC0) == 0x80)
                prompt_text_.pop_back();
            if (!prompt_text_.empty()) prompt_text_.pop_back();
            break;
        case KeyCode::ClearLine: prompt_text_.clear(); break;
        case KeyCode::Escape:
        case KeyCode::Interrupt:
        case KeyCode::EndOfInput: prompting_ = false; break;
        case KeyCode::Enter:
            prompting_ = false;
            // An empty search repeats the last one, as in less and vi.
            if (!prompt_text_.empty()) last_search_ = prompt_text_;
            Search(false);
            break;
        default: break;
        }
    }

    // Finds the next cell containing last_search_: from the cell after the last
    // match when `again`, else from the first cell of the top row; wraps at the end.
    void Search(bool again) {
        message_.clear();
        if (last_search_.empty()) {
            message_ = "no search yet: / starts one";
            return;
        }
        size_t total = row_count_ * column_count_;
        if (total == 0) {
            message_ = "not found: " + last_search_;
            return;
        }
        std::string needle = AsciiLower(last_search_);
        size_t start = again && match_ ? match_->first * column_count_ + match_->second + 1 : top_row_ * column_count_;
        bool past_end = start >= total;  // `n` after a hit in the very last cell
        start %= total;
        for (size_t step = 0; step < total; ++step) {
            size_t cell_idx = (start + step) % total;
            size_t row_idx = cell_idx / column_count_;
            size_t col_idx = cell_idx % column_count_;
            std::optional<std::string> cell = source_.Cell(row_idx, col_idx);
            if (!cell || AsciiLower(*cell).find(needle) == std::string::npos) continue;
            match_ = {row_idx, col_idx};
            if (past_end || cell_idx < start) message_ = "search wrapped to the top";
            ScrollTo(row_idx);
            ShowColumn(col_idx);
            return;
        }
        match_.reset();
        message_ = "not found: " + Sanitize(last_search_);
    }

    void ShowColumn(size_t col_idx) {
        if (col_idx < first_col_) {
            first_col_ = col_idx;
            return;
        }
        for (const VisibleColumn& column : Layout())
            if (column.col == col_idx && !column.cut) return;
        first_col_ = col_idx;
    }

    const TableSource& source_;
    size_t row_count_;
    size_t column_count_;
    std::vector<std::string> names_;
    std::vector<bool> right_aligned_;
    std::vector<size_t> widths_;  ///< display widths, capped; they only grow
    size_t gutter_width_ = 1;     ///< digits of the largest row number
    ScreenSize size_;
    size_t top_row_ = 0;
    size_t first_col_ = 0;
    bool prompting_ = false;
    std::string prompt_text_;
    std::string last_search_;
    std::optional<std::pair<size_t, size_t>> match_;  ///< row and column of the last search hit
    std::string message_;                             ///< replaces the key help until the next key
};

}  // namespace

bool CanBrowse() { return isatty(STDIN_FILENO) && isatty(STDOUT_FILENO); }

void Browse(const TableSource& source) {
    Browser browser(source);  // reads the width sample before the screen changes
    std::cout.flush();
    std::cerr.flush();
    TerminalSession terminal;
    while (true) {
        WriteAll(browser.Render(TerminalSession::Size()));
        Key key = terminal.ReadKey();
        if (key.code == KeyCode::Resize) continue;
        if (!browser.Handle(key)) break;
    }
}

std::string BrowseQuery(std::string_view argument) {
    static constexpr std::string_view kStatementWords[] = {"SELECT", "WITH",    "VALUES",  "FROM", "TABLE",
                                                           "SHOW",   "DESCRIBE", "EXPLAIN", "DESC", "PRAGMA"};
    size_t word_end = 0;
    while (word_end < argument.size() && !std::isspace(static_cast<unsigned char>(argument[word_end])) &&
           argument[word_end] != '(')
        ++word_end;
    std::string first_word(argument.substr(0, word_end));
    for (char& c : first_word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    bool statement = word_end == 0 || std::find(std::begin(kStatementWords), std::end(kStatementWords),
                                                first_word) != std::end(kStatementWords);
    bool quoted_name = argument.size() >= 2 && argument.front() == '"' && argument.back() == '"';
    if (!quoted_name && (statement || word_end < argument.size())) return std::string(argument);
    // The name as typed, so that the engine folds its case as in any query.
    return "SELECT * FROM " + std::string(argument);
}

}  // namespace grizzly::shell
