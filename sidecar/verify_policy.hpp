// The policy flags of `hale verify`, shared with `hale serve --verify` so that both read the
// same options and the same HALE_VERIFY_* environment variables.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "probes/hardening/policy.hpp"
#include "probes/result.hpp"

namespace hale::sidecar {

struct PolicyFlags {
    std::string fail_on = "fail";
    std::vector<std::string> require;
    std::vector<std::string> ignore;
    std::string min_uid;
};

// Adds --fail-on, --require, --ignore and --min-uid (env HALE_VERIFY_FAIL_ON,
// HALE_VERIFY_REQUIRE, HALE_VERIFY_IGNORE, HALE_VERIFY_MIN_UID) to APP, stored in FLAGS.
void add_policy_options(CLI::App& app, PolicyFlags& flags);

// Turns the flags into a policy, or a one-line error naming the bad value.
probes::Result<probes::hardening::Policy> make_policy(const PolicyFlags& flags);

}  // namespace hale::sidecar
