#include "sidecar/child_process.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

#include "probes/text.hpp"

namespace hale::sidecar {

probes::Result<pid_t> spawn_child(const std::vector<std::string>& argv) {
    std::vector<char*> args;
    args.reserve(argv.size() + 1);
    for (const auto& arg : argv) {
        args.push_back(const_cast<char*>(arg.c_str()));
    }
    args.push_back(nullptr);

    // Handlers do not survive exec, but ignored signals and the mask would: reset both, so the
    // app starts as if a shell had started it (SIGPIPE in particular, which hale ignores).
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t all;
    sigset_t none;
    sigfillset(&all);
    sigemptyset(&none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setsigmask(&attr, &none);
    short flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK;
    if (isatty(STDIN_FILENO) == 0) {
        // TODO: with a terminal the app stays in hale's group (Ctrl-C reaches it directly, and
        // again through hale); giving it the terminal's foreground needs fork + tcsetpgrp.
        posix_spawnattr_setpgroup(&attr, 0);
        flags |= POSIX_SPAWN_SETPGROUP;
    }
    posix_spawnattr_setflags(&attr, flags);

    pid_t pid = 0;
    int error = posix_spawnp(&pid, args[0], nullptr, &attr, args.data(), environ);
    posix_spawnattr_destroy(&attr);
    if (error != 0) {
        return probes::Error{"cannot start '" + argv[0] + "': " + probes::describe_errno(error)};
    }
    return pid;
}

std::optional<int> reap_children(pid_t watched, bool reap_all) {
    std::optional<int> watched_status;
    for (;;) {
        int status = 0;
        pid_t pid = waitpid(reap_all ? -1 : watched, &status, WNOHANG);
        if (pid <= 0) {
            if (pid < 0 && errno == EINTR) {
                continue;
            }
            break;
        }
        if (pid == watched) {
            watched_status = status;
            if (!reap_all) {
                break;
            }
        }
    }
    return watched_status;
}

int exit_status_of(int wait_status) {
    if (WIFEXITED(wait_status)) {
        return WEXITSTATUS(wait_status);
    }
    if (WIFSIGNALED(wait_status)) {
        return 128 + WTERMSIG(wait_status);
    }
    return 1;
}

std::string describe_wait_status(int wait_status) {
    if (WIFEXITED(wait_status)) {
        return "exited with status " + std::to_string(WEXITSTATUS(wait_status));
    }
    if (WIFSIGNALED(wait_status)) {
        int signal = WTERMSIG(wait_status);
        const char* name = sigabbrev_np(signal);
        return "was killed by signal " + std::to_string(signal) +
               (name != nullptr ? " (SIG" + std::string(name) + ")" : std::string());
    }
    return "ended with wait status " + std::to_string(wait_status);
}

}  // namespace hale::sidecar
