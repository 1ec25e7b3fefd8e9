// The policy `hale verify` (and `hale serve --verify`) judges findings by.
//   fail_on   the lowest status that fails: Fail (default) or Warn
//   require   ids that must pass outright: a warn or a skip of one of them fails
//   ignore    ids that never fail (they are still reported)
//   min_uid   the high-uid threshold; giving it also requires high-uid
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "probes/hardening/check.hpp"
#include "probes/result.hpp"

namespace hale::probes::hardening {

struct Policy {
    Status fail_on = Status::Fail;
    std::vector<std::string> require;
    std::vector<std::string> ignore;
    std::optional<uint32_t> min_uid;

    // The check options this policy implies (the uid threshold).
    CheckOptions check_options() const;
};

// Parses "warn" or "fail".
Result<Status> parse_fail_on(std::string_view text);

// Splits "a,b, c" into ids and checks each against the table.
Result<std::vector<std::string>> parse_check_ids(std::string_view text);

// Parses a uid threshold: digits only, below 2^32.
Result<uint32_t> parse_min_uid(std::string_view text);

// Rejects an id that is both required and ignored.
Result<Policy> validate_policy(Policy policy);

struct PolicyFailure {
    Finding finding;
    std::string reason;  // "fail", "warn (fail-on warn)", "required, but skip"
};

struct PolicyVerdict {
    bool passed = true;
    std::vector<PolicyFailure> failures;
};

PolicyVerdict evaluate_policy(const std::vector<Finding>& findings, const Policy& policy);

}  // namespace hale::probes::hardening
