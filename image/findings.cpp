#include "image/findings.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <set>
#include <string_view>

#include "probes/text.hpp"

namespace hale::image {
namespace {

using Node = PathTable::Node;

constexpr size_t kMaxPaths = 20;

constexpr std::array kShells = {"/bin/sh",         "/bin/bash",     "/bin/dash",    "/bin/ash",
                                "/bin/zsh",        "/bin/ksh",      "/bin/busybox", "/usr/bin/sh",
                                "/usr/bin/bash",   "/usr/bin/dash", "/usr/bin/zsh", "/usr/bin/fish",
                                "/usr/bin/busybox"};

constexpr std::array kToolDirs = {"/usr/bin", "/usr/local/bin", "/bin", "/usr/local/go/bin"};
constexpr std::array kTools = {"gcc",   "g++",   "cc",     "c++", "clang", "clang++",
                               "make",  "cmake", "ninja",  "go",  "rustc", "cargo",
                               "javac", "mvn",   "gradle", "ld"};

struct Cache {
    const char* path;
    const char* what;
    const char* fix;
};
constexpr std::array kCaches = {
    Cache{"/var/lib/apt/lists", "apt package lists",
          "rm -rf /var/lib/apt/lists/* in the RUN that runs apt-get"},
    Cache{"/var/cache/apt", "apt package cache", "apt-get clean in the RUN that installs"},
    Cache{"/var/cache/apk", "apk cache", "apk add --no-cache"},
    Cache{"/var/cache/yum", "yum cache", "yum clean all in the RUN that installs"},
    Cache{"/var/cache/dnf", "dnf cache", "dnf clean all in the RUN that installs"},
    Cache{"/root/.cache/pip", "pip cache", "pip install --no-cache-dir"},
    Cache{"/root/.npm", "npm cache", "npm ci && npm cache clean --force in one RUN"},
    Cache{"/root/.cache/yarn", "yarn cache", "yarn cache clean in the RUN that installs"},
    Cache{"/usr/local/share/.cache/yarn", "yarn cache",
          "yarn cache clean in the RUN that installs"},
    Cache{"/root/.cache/go-build", "go build cache", "build in an earlier stage"},
    Cache{"/root/.cargo/registry", "cargo registry", "build in an earlier stage"},
    Cache{"/root/.m2/repository", "maven repository", "build in an earlier stage"},
    Cache{"/root/.gradle/caches", "gradle cache", "build in an earlier stage"},
};

bool is_number(std::string_view text, uint64_t& value) {
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return !text.empty() && error == std::errc{} && end == text.data() + text.size();
}

// The uid of `name` in passwd text ("name:x:uid:gid:..."), or nullopt.
std::optional<uint64_t> passwd_uid(const std::string& passwd, std::string_view name) {
    size_t start = 0;
    while (start < passwd.size()) {
        size_t end = std::min(passwd.find('\n', start), passwd.size());
        std::string_view line(passwd.data() + start, end - start);
        start = end + 1;
        auto first = line.find(':');
        if (first == std::string_view::npos || line.substr(0, first) != name) {
            continue;
        }
        auto second = line.find(':', first + 1);
        auto third = second == std::string_view::npos ? second : line.find(':', second + 1);
        uint64_t uid = 0;
        if (third != std::string_view::npos &&
            is_number(line.substr(second + 1, third - second - 1), uid)) {
            return uid;
        }
    }
    return std::nullopt;
}

void add_paths(Finding& finding, const std::vector<std::string>& paths) {
    for (const auto& path : paths) {
        if (finding.paths.size() == kMaxPaths) {
            break;
        }
        finding.paths.push_back(path);
    }
}

bool shell_form(const std::vector<std::string>& command) {
    return command.size() >= 2 && (command[0] == "/bin/sh" || command[0] == "sh") &&
           command[1] == "-c";
}

void user_findings(const ImageConfig& config, const Overlay& tree, std::vector<Finding>& out) {
    auto root = user_is_root(config.user, tree);
    std::string shown = config.user.empty() ? "(unset)" : config.user;
    if (!root) {
        out.push_back({"user-unknown",
                       Severity::Medium,
                       "USER " + shown +
                           " is not in the image's /etc/passwd; the container "
                           "fails to start unless a numeric uid is given",
                       "use a numeric USER, e.g. USER 10001:10001",
                       {},
                       0});
    } else if (*root) {
        out.push_back({"runs-as-root",
                       Severity::High,
                       "runs as root (USER " + shown + ")",
                       "add a non-root user and USER 10001:10001",
                       {},
                       0});
    }
}

void health_findings(const ImageConfig& config, bool has_sh, std::vector<Finding>& out) {
    const auto& test = config.healthcheck;
    if (!test || test->empty() || (*test)[0] == "NONE") {
        out.push_back({"no-healthcheck",
                       Severity::Low,
                       "no HEALTHCHECK",
                       R"(HEALTHCHECK CMD ["/hale", "check", "http://127.0.0.1:8080/health"])",
                       {},
                       0});
    } else if ((*test)[0] == "CMD-SHELL" && !has_sh) {
        out.push_back({"healthcheck-needs-shell",
                       Severity::High,
                       "Healthcheck.Test is CMD-SHELL but /bin/sh is absent in final filesystem",
                       R"(use the exec form: HEALTHCHECK CMD ["/hale", "check", "URL"])",
                       {},
                       0});
    }
    if (!has_sh &&
        (shell_form(config.entrypoint) || (config.entrypoint.empty() && shell_form(config.cmd)))) {
        out.push_back({"command-needs-shell",
                       Severity::High,
                       "the command runs /bin/sh -c but /bin/sh is absent in final filesystem",
                       R"(use the exec form: CMD ["/app", "--flag"])",
                       {},
                       0});
    }
}

void filesystem_findings(const Overlay& tree, std::vector<Finding>& out) {
    const PathTable& paths = tree.paths();
    std::vector<std::string> setuid;
    std::vector<std::string> writable;
    tree.for_each_visible([&](Node node, const Entry& entry) {
        if (entry.type == EntryType::Regular && (entry.mode & 06000) != 0) {
            setuid.push_back(paths.path(node) + " (" + mode_text(entry.mode) + ")");
        }
        bool sticky_dir = entry.type == EntryType::Directory && (entry.mode & 01000) != 0;
        if ((entry.type == EntryType::Regular || entry.type == EntryType::Directory) &&
            (entry.mode & 0002) != 0 && !sticky_dir) {
            writable.push_back(paths.path(node));
        }
    });
    std::sort(setuid.begin(), setuid.end());
    std::sort(writable.begin(), writable.end());
    if (!setuid.empty()) {
        Finding finding{"setuid-files",
                        Severity::Medium,
                        std::to_string(setuid.size()) + " setuid or setgid files",
                        "chmod u-s,g-s them in the build, or leave them out of the final stage",
                        {},
                        0};
        add_paths(finding, setuid);
        out.push_back(std::move(finding));
    }
    if (!writable.empty()) {
        Finding finding{"world-writable",
                        Severity::Medium,
                        std::to_string(writable.size()) + " world-writable files or directories",
                        "chmod o-w them, or COPY --chmod with a mode without o+w",
                        {},
                        0};
        add_paths(finding, writable);
        out.push_back(std::move(finding));
    }

    std::vector<std::string> caches;
    uint64_t cache_bytes = 0;
    std::string cache_fix;
    for (const auto& cache : kCaches) {
        Node node = tree.resolve(cache.path);
        if (node == PathTable::kNone) {
            continue;
        }
        auto [bytes, files] = tree.usage_below(node);
        if (bytes == 0) {
            continue;
        }
        caches.push_back(std::string(cache.path) + " (" + cache.what + ", " +
                         std::to_string(files) + " files, " + std::to_string(bytes) + " bytes)");
        cache_bytes += bytes;
        cache_fix += (cache_fix.empty() ? "" : "; ") + std::string(cache.fix);
    }
    if (!caches.empty()) {
        Finding finding{"package-cache",
                        cache_bytes >= (1 << 20) ? Severity::Medium : Severity::Low,
                        "package-manager caches left in the final filesystem",
                        cache_fix,
                        {},
                        cache_bytes};
        add_paths(finding, caches);
        out.push_back(std::move(finding));
    }

    std::vector<std::string> tools;
    std::set<Node> seen;
    for (const char* dir : kToolDirs) {
        for (const char* tool : kTools) {
            std::string path = std::string(dir) + "/" + tool;
            Node node = tree.resolve(path);
            if (node != PathTable::kNone && seen.insert(node).second) {
                tools.push_back(path);
            }
        }
    }
    if (!tools.empty()) {
        Finding finding{"build-tools",
                        Severity::Medium,
                        "compilers or build tools in the final filesystem",
                        "build in an earlier stage and COPY --from only the result",
                        {},
                        0};
        add_paths(finding, tools);
        out.push_back(std::move(finding));
    }
}

}  // namespace

std::string mode_text(uint32_t mode) {
    std::string text(4, '0');
    for (int i = 3; i >= 0; --i) {
        text[static_cast<size_t>(i)] = static_cast<char>('0' + (mode & 7));
        mode >>= 3;
    }
    return text;
}

const char* severity_name(Severity severity) {
    switch (severity) {
        case Severity::High:
            return "high";
        case Severity::Medium:
            return "medium";
        case Severity::Low:
            break;
    }
    return "low";
}

std::optional<bool> user_is_root(const std::string& user, const Overlay& tree) {
    std::string_view name = probes::trim(user);
    name = name.substr(0, name.find(':'));
    if (name.empty() || name == "root") {
        return true;
    }
    uint64_t uid = 0;
    if (is_number(name, uid)) {
        return uid == 0;
    }
    Node passwd = tree.resolve("/etc/passwd");
    const std::string* text = passwd == PathTable::kNone ? nullptr : tree.captured_text(passwd);
    if (text == nullptr) {
        return std::nullopt;
    }
    auto found = passwd_uid(*text, name);
    if (!found) {
        return std::nullopt;
    }
    return *found == 0;
}

std::vector<std::string> shells_present(const Overlay& tree) {
    std::vector<std::string> found;
    std::set<Node> seen;
    for (const char* shell : kShells) {
        Node node = tree.resolve(shell);
        if (node != PathTable::kNone && seen.insert(node).second) {
            found.emplace_back(shell);
        }
    }
    return found;
}

std::vector<Finding> image_findings(const ImageConfig& config, const Overlay& tree) {
    std::vector<Finding> findings;
    user_findings(config, tree, findings);
    auto shells = shells_present(tree);
    bool has_sh = tree.resolve("/bin/sh") != PathTable::kNone;
    health_findings(config, has_sh, findings);
    if (!shells.empty()) {
        Finding finding{"shell-present",
                        Severity::Medium,
                        "a shell is in the final filesystem",
                        "use a distroless or scratch final stage; hale check needs no shell",
                        {},
                        0};
        add_paths(finding, shells);
        findings.push_back(std::move(finding));
    }
    filesystem_findings(tree, findings);
    return findings;
}

int image_score(const std::vector<Finding>& findings,
                uint64_t wasted_bytes,
                uint64_t shipped_bytes) {
    int score = 100;
    for (const auto& finding : findings) {
        score -= finding.severity == Severity::High     ? 25
                 : finding.severity == Severity::Medium ? 10
                                                        : 3;
    }
    if (shipped_bytes > 0) {
        auto percent = static_cast<int>(100 * static_cast<double>(wasted_bytes) /
                                        static_cast<double>(shipped_bytes));
        score -= std::min(percent, 30);
    }
    return std::max(score, 0);
}

}  // namespace hale::image
