// Helpers for the hardening tests: the committed fixture trees under tests/data/hardening,
// and temporary copies of them that a test may change (setuid files, sockets and odd inputs
// that git cannot hold or that only one test needs).
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <ostream>
#include <stdexcept>
#include <string>

#include "probes/hardening/check.hpp"
#include "probes/hardening/facts.hpp"

namespace hale::probes::hardening {

// Boost.Test prints both sides of a failed comparison.
inline std::ostream& operator<<(std::ostream& out, Status status) {
    return out << to_string(status);
}

}  // namespace hale::probes::hardening

namespace hale::probes::hardening::test {

inline std::string fixture(const std::string& name) {
    return std::string(HALE_TEST_DATA) + "/hardening/" + name;
}

inline Facts facts_for(const std::string& tree) {
    return collect_facts(Roots::under(fixture(tree)));
}

inline Finding check(const Facts& facts, std::string_view id, const CheckOptions& options = {}) {
    const CheckSpec* spec = find_check(id);
    if (spec == nullptr) {
        throw std::runtime_error("no check " + std::string(id));
    }
    return run_check(*spec, facts, options);
}

inline bool contains(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

// A temporary directory, optionally seeded with a copy of a fixture tree; removed at the end.
class TempTree {
public:
    explicit TempTree(const std::string& from_fixture = {}) {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "hale-hardening-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) {
            throw std::runtime_error("cannot create a temporary directory");
        }
        path_ = pattern;
        if (!from_fixture.empty()) {
            std::filesystem::copy(fixture(from_fixture), path_,
                                  std::filesystem::copy_options::recursive |
                                      std::filesystem::copy_options::copy_symlinks);
        }
    }
    TempTree(const TempTree&) = delete;
    TempTree& operator=(const TempTree&) = delete;
    ~TempTree() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }

    const std::string& path() const { return path_; }
    std::string at(const std::string& relative) const { return path_ + "/" + relative; }
    Roots roots() const { return Roots::under(path_); }
    Facts facts() const { return collect_facts(roots()); }

    void write(const std::string& relative, const std::string& contents) const {
        auto file = std::filesystem::path(at(relative));
        std::filesystem::create_directories(file.parent_path());
        std::ofstream(file, std::ios::binary | std::ios::trunc) << contents;
    }
    void remove(const std::string& relative) const { std::filesystem::remove_all(at(relative)); }

private:
    std::string path_;
};

}  // namespace hale::probes::hardening::test
