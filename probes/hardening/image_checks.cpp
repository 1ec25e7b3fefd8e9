// What the image holds: shells and tools, setuid files, left-over credentials and build
// files, and secret-looking environment variable names (names only, never values).
#include "probes/hardening/check_functions.hpp"

namespace hale::probes::hardening {
namespace {

std::string walk_extent(const WalkResult& walk) {
    std::string text = std::to_string(walk.entries) + " entries";
    if (walk.capped) {
        text += ", walk stopped at its cap of " + std::to_string(walk.entries);
    }
    return text;
}

std::string more(size_t count, size_t listed) {
    return count > listed ? " (" + std::to_string(count) + " in all)" : "";
}

}  // namespace

Verdict check_no_shells(const Facts& facts, const CheckOptions& /*options*/) {
    if (!facts.walk.error.empty()) {
        return skip(facts.walk.error);
    }
    const auto& found = facts.shells;
    if (found.shells.empty() && found.tools.empty()) {
        return pass("no shell or escape tool in /bin, /sbin, /usr/bin, /usr/sbin, /usr/local");
    }
    std::string observed;
    if (!found.shells.empty()) {
        observed = "shells: " + join_list(found.shells);
    }
    if (!found.tools.empty()) {
        observed += std::string(observed.empty() ? "" : "; ") + "tools: " + join_list(found.tools);
    }
    return warn(observed);
}

Verdict check_setuid_files(const Facts& facts, const CheckOptions& /*options*/) {
    const auto& walk = facts.walk;
    if (!walk.error.empty()) {
        return skip(walk.error);
    }
    if (walk.setuid_count == 0) {
        // A walk that stopped at its cap has not shown there is none.
        return walk.capped ? warn("none in " + walk_extent(walk))
                           : pass("none in " + walk_extent(walk));
    }
    std::vector<std::string> paths;
    for (const auto& file : walk.setuid_files) {
        paths.push_back(file.path + (file.setuid ? " (setuid" : " (setgid") +
                        (file.setuid && file.setgid ? "+setgid" : "") + ")");
    }
    std::string observed = join_list(paths) + more(walk.setuid_count, walk.setuid_files.size());
    if (facts.status && facts.status->no_new_privs.value_or(0) == 1) {
        return pass(observed + "; inert: no_new_privs is set");
    }
    return warn(observed);
}

Verdict check_leftover_files(const Facts& facts, const CheckOptions& /*options*/) {
    const auto& walk = facts.walk;
    if (!walk.error.empty()) {
        return skip(walk.error);
    }
    if (walk.leftover_count == 0) {
        return walk.capped ? warn("none in " + walk_extent(walk))
                           : pass("none in " + walk_extent(walk));
    }
    return warn(join_list(walk.leftovers) + more(walk.leftover_count, walk.leftovers.size()));
}

Verdict check_secret_env(const Facts& facts, const CheckOptions& /*options*/) {
    if (!facts.env) {
        return skip(facts.env.error());
    }
    const auto& env = *facts.env;
    if (!env.secret_like.empty()) {
        return warn(join_list(env.secret_like) + " (names only; values are never read out)");
    }
    return pass(std::to_string(env.names.size()) + " variables, no secret-looking name");
}

}  // namespace hale::probes::hardening
