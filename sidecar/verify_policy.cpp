#include "sidecar/verify_policy.hpp"

namespace hale::sidecar {
namespace {

namespace hardening = probes::hardening;

// Each value may itself be a comma-separated list ("a,b" from the environment, or repeated
// flags); all of them are checked against the table.
probes::Result<std::vector<std::string>> collect_ids(const std::vector<std::string>& values) {
    std::vector<std::string> ids;
    for (const auto& value : values) {
        auto parsed = hardening::parse_check_ids(value);
        if (!parsed) {
            return probes::Error{parsed.error()};
        }
        for (auto& id : *parsed) {
            if (std::find(ids.begin(), ids.end(), id) == ids.end()) {
                ids.push_back(std::move(id));
            }
        }
    }
    return ids;
}

}  // namespace

void add_policy_options(CLI::App& app, PolicyFlags& flags) {
    app.add_option("--fail-on", flags.fail_on, "lowest status that fails: fail (default) or warn")
        ->envname("HALE_VERIFY_FAIL_ON");
    app.add_option("--require", flags.require,
                   "check ids that must pass outright (a warn or skip fails), comma-separated")
        ->envname("HALE_VERIFY_REQUIRE");
    app.add_option("--ignore", flags.ignore,
                   "check ids that never fail the policy, comma-separated")
        ->envname("HALE_VERIFY_IGNORE");
    app.add_option("--min-uid", flags.min_uid,
                   "the uid must be at least N (sets high-uid's threshold and requires it)")
        ->envname("HALE_VERIFY_MIN_UID");
}

probes::Result<hardening::Policy> make_policy(const PolicyFlags& flags) {
    hardening::Policy policy;

    auto fail_on = hardening::parse_fail_on(flags.fail_on);
    if (!fail_on) {
        return probes::Error{fail_on.error()};
    }
    policy.fail_on = *fail_on;

    auto require = collect_ids(flags.require);
    if (!require) {
        return probes::Error{require.error()};
    }
    policy.require = std::move(*require);

    auto ignore = collect_ids(flags.ignore);
    if (!ignore) {
        return probes::Error{ignore.error()};
    }
    policy.ignore = std::move(*ignore);

    if (!flags.min_uid.empty()) {
        auto min_uid = hardening::parse_min_uid(flags.min_uid);
        if (!min_uid) {
            return probes::Error{min_uid.error()};
        }
        policy.min_uid = *min_uid;
    }
    return hardening::validate_policy(std::move(policy));
}

}  // namespace hale::sidecar
