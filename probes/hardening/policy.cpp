#include "probes/hardening/policy.hpp"

#include <algorithm>
#include <charconv>

namespace hale::probes::hardening {
namespace {

bool contains(const std::vector<std::string>& ids, const std::string& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

std::string known_ids() {
    std::string ids;
    for (const auto& spec : check_table()) {
        ids += (ids.empty() ? "" : ", ") + std::string(spec.id);
    }
    return ids;
}

}  // namespace

CheckOptions Policy::check_options() const {
    CheckOptions options;
    if (min_uid) {
        options.min_uid = *min_uid;
    }
    return options;
}

Result<Status> parse_fail_on(std::string_view text) {
    if (text == "warn") {
        return Status::Warn;
    }
    if (text == "fail") {
        return Status::Fail;
    }
    return Error{"invalid fail-on level '" + std::string(text) + "': expected warn or fail"};
}

Result<std::vector<std::string>> parse_check_ids(std::string_view text) {
    std::vector<std::string> ids;
    while (!text.empty()) {
        auto comma = text.find(',');
        auto item = text.substr(0, comma);
        text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
        auto first = item.find_first_not_of(" \t");
        if (first == std::string_view::npos) {
            continue;
        }
        auto id = std::string(item.substr(first, item.find_last_not_of(" \t") - first + 1));
        if (find_check(id) == nullptr) {
            return Error{"invalid check id '" + id + "': expected one of " + known_ids()};
        }
        if (!contains(ids, id)) {
            ids.push_back(std::move(id));
        }
    }
    return ids;
}

Result<uint32_t> parse_min_uid(std::string_view text) {
    uint32_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
        return Error{"invalid minimum uid '" + std::string(text) +
                     "': expected a number from 0 to 4294967295"};
    }
    return value;
}

Result<Policy> validate_policy(Policy policy) {
    for (const auto& id : policy.require) {
        if (contains(policy.ignore, id)) {
            return Error{"invalid policy: check '" + id + "' is both required and ignored"};
        }
    }
    if (policy.min_uid && contains(policy.ignore, "high-uid")) {
        return Error{"invalid policy: --min-uid requires high-uid, which is ignored"};
    }
    if (policy.min_uid && !contains(policy.require, "high-uid")) {
        policy.require.emplace_back("high-uid");
    }
    return policy;
}

PolicyVerdict evaluate_policy(const std::vector<Finding>& findings, const Policy& policy) {
    PolicyVerdict verdict;
    for (const auto& finding : findings) {
        if (contains(policy.ignore, finding.id)) {
            continue;
        }
        std::string reason;
        if (contains(policy.require, finding.id)) {
            if (finding.status != Status::Pass) {
                reason = "required, but " + std::string(to_string(finding.status));
            }
        } else if (finding.status != Status::Skip && finding.status >= policy.fail_on) {
            reason = std::string(to_string(finding.status));
            if (finding.status == Status::Warn) {
                reason += " (fail-on warn)";
            }
        }
        if (!reason.empty()) {
            verdict.failures.push_back({finding, std::move(reason)});
        }
    }
    verdict.passed = verdict.failures.empty();
    return verdict;
}

}  // namespace hale::probes::hardening
