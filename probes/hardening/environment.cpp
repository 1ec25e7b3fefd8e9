#include "probes/hardening/environment.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "probes/hardening/read_file.hpp"

namespace hale::probes::hardening {
namespace {

std::string upper(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return out;
}

std::string scheme_word(std::string_view value) {
    auto colon = value.find("://");
    auto scheme = upper(value.substr(0, colon == std::string_view::npos ? 0 : colon));
    constexpr std::array<std::string_view, 5> kKnown = {"TCP", "UNIX", "SSH", "FD", "NPIPE"};
    for (auto known : kKnown) {
        if (scheme == known) {
            std::string word(known);
            std::transform(word.begin(), word.end(), word.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            return word;
        }
    }
    return "other";
}

}  // namespace

bool is_secret_like_name(std::string_view name) {
    auto key = upper(name);
    if (key == "GPG_KEY" || key == "GPG_KEYS" || key.ends_with("_FILE") || key.ends_with("_PATH")) {
        return false;
    }
    constexpr std::array<std::string_view, 7> kWords = {"PASS",   "SECRET",     "KEY",    "TOKEN",
                                                        "ACCESS", "CREDENTIAL", "PRIVATE"};
    return std::any_of(kWords.begin(), kWords.end(), [&key](std::string_view word) {
        return key.find(word) != std::string::npos;
    });
}

EnvFacts parse_environ(std::string_view block) {
    EnvFacts facts;
    while (!block.empty()) {
        auto end = block.find('\0');
        auto entry = block.substr(0, end);
        block = end == std::string_view::npos ? std::string_view{} : block.substr(end + 1);

        auto equals = entry.find('=');
        if (equals == std::string_view::npos || equals == 0) {
            continue;
        }
        std::string name(entry.substr(0, equals));
        if (name == "DOCKER_HOST") {
            facts.docker_host_scheme = scheme_word(entry.substr(equals + 1));
        }
        if (name == "KUBERNETES_SERVICE_HOST") {
            facts.kubernetes = true;
        }
        if (is_secret_like_name(name)) {
            facts.secret_like.push_back(name);
        }
        facts.names.push_back(std::move(name));
    }
    return facts;
}

Result<EnvFacts> read_environment(const Roots& roots) {
    auto path = join_path(roots.proc, "self/environ");
    auto block = read_text_file(path, 4 * kTextFileCap);
    if (!block) {
        return Error{block.error()};
    }
    if (!*block) {
        return Error{"cannot read " + path + ": no such file"};
    }
    return parse_environ(**block);
}

}  // namespace hale::probes::hardening
