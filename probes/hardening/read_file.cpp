#include "probes/hardening/read_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "probes/text.hpp"
#include "probes/unique_fd.hpp"

namespace hale::probes::hardening {
namespace {

Error read_error(const std::string& path, int error) {
    return Error{"cannot read " + path + ": " + describe_errno(error)};
}

}  // namespace

Result<std::optional<std::string>> read_text_file(const std::string& path, size_t cap) {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    if (!fd.valid()) {
        if (errno == ENOENT || errno == ENOTDIR) {
            return std::optional<std::string>{};
        }
        return read_error(path, errno);
    }
    struct stat info {};
    if (::fstat(fd.get(), &info) != 0) {
        return read_error(path, errno);
    }
    if (!S_ISREG(info.st_mode)) {
        return Error{"cannot read " + path + ": not a regular file"};
    }

    // /proc and /sys files report size 0, so read to the end rather than trusting st_size.
    std::string contents;
    char buffer[4096];
    for (;;) {
        ssize_t got = ::read(fd.get(), buffer, sizeof buffer);
        if (got < 0) {
            if (errno == EINTR) {
                continue;
            }
            return read_error(path, errno);
        }
        if (got == 0) {
            break;
        }
        if (contents.size() + static_cast<size_t>(got) > cap) {
            return Error{"cannot read " + path + ": larger than " + std::to_string(cap) + " bytes"};
        }
        contents.append(buffer, static_cast<size_t>(got));
    }
    return std::optional<std::string>{std::move(contents)};
}

Result<std::optional<std::string>> read_first_line(const std::string& path) {
    auto contents = read_text_file(path, size_t{64} * 1024);
    if (!contents || !*contents) {
        return contents;
    }
    const std::string& text = **contents;
    return std::optional<std::string>{trim(std::string_view(text).substr(0, text.find('\n')))};
}

bool path_exists(const std::string& path) {
    struct stat info {};
    return ::lstat(path.c_str(), &info) == 0;
}

bool writable(const std::string& path) {
    return ::faccessat(AT_FDCWD, path.c_str(), W_OK, AT_EACCESS) == 0;
}

std::string trim(std::string_view text) {
    constexpr std::string_view kSpace = " \t\r\n";
    auto first = text.find_first_not_of(kSpace);
    if (first == std::string_view::npos) {
        return {};
    }
    auto last = text.find_last_not_of(kSpace);
    return std::string(text.substr(first, last - first + 1));
}

}  // namespace hale::probes::hardening
