#include "probes/hardening/lsm.hpp"

#include <algorithm>

#include "probes/hardening/read_file.hpp"

namespace hale::probes::hardening {
namespace {

// The label files hold one NUL- or newline-terminated string.
std::string clean_label(std::string_view text) {
    auto end = text.find('\0');
    return trim(text.substr(0, end));
}

}  // namespace

bool looks_like_selinux_context(std::string_view label) {
    return std::count(label.begin(), label.end(), ':') >= 3 &&
           label.find(' ') == std::string_view::npos;
}

std::string selinux_type(std::string_view context) {
    for (int field = 0; field < 2; ++field) {
        auto colon = context.find(':');
        if (colon == std::string_view::npos) {
            return {};
        }
        context.remove_prefix(colon + 1);
    }
    return std::string(context.substr(0, context.find(':')));
}

LsmState read_lsm(const Roots& roots) {
    LsmState state;

    auto apparmor = read_text_file(join_path(roots.proc, "self/attr/apparmor/current"));
    if (apparmor && *apparmor && !clean_label(**apparmor).empty()) {
        state.apparmor = clean_label(**apparmor);
    }

    auto legacy = read_text_file(join_path(roots.proc, "self/attr/current"));
    if (legacy && *legacy) {
        auto label = clean_label(**legacy);
        if (looks_like_selinux_context(label)) {
            state.selinux = label;
        } else if (!label.empty() && !state.apparmor) {
            state.apparmor = label;
        }
    }

    auto enforce = read_first_line(join_path(roots.sys, "fs/selinux/enforce"));
    if (enforce && *enforce) {
        state.selinux_enforcing = **enforce == "1";
    }

    if (!state.apparmor && !state.selinux) {
        if (!legacy) {
            state.unknown_reason = legacy.error();
        } else if (!*legacy) {
            state.unknown_reason = "no " + join_path(roots.proc, "self/attr/current");
        } else {
            state.unknown_reason = "empty label in " + join_path(roots.proc, "self/attr/current");
        }
    }
    return state;
}

}  // namespace hale::probes::hardening
