// The shape of a hardening check, after redis's syscheck.c: a stable name, a function that
// looks at the facts, and a verdict that is pass, warn, fail, or skip when the check could not
// run (a skip is never a pass). Every finding carries what was observed, what was expected,
// why it matters and the exact setting that fixes it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "probes/hardening/facts.hpp"

namespace hale::probes::hardening {

// Ordered by severity: a policy "fail on warn" fails on Warn and Fail.
enum class Status { Pass, Skip, Warn, Fail };

std::string_view to_string(Status status);

// Knobs of the checks themselves (not of the policy that judges them).
struct CheckOptions {
    uint32_t min_uid = 10000;  // the high-uid check's threshold
};

// What one check function returns. EXPECTED and FIX override the table's text when set.
struct Verdict {
    Status status = Status::Skip;
    std::string observed;
    std::string expected = {};
    std::string fix = {};
};

using CheckFunction = Verdict (*)(const Facts&, const CheckOptions&);

struct CheckSpec {
    std::string_view id;     // stable, kebab-case: users name it in --require and --ignore
    std::string_view title;  // the requirement, as a short sentence
    std::string_view expected;
    std::string_view why;  // one line: what goes wrong without it
    std::string_view fix;  // the Dockerfile line, docker run flag or Kubernetes field
    CheckFunction run;
};

struct Finding {
    std::string id;
    std::string title;
    Status status = Status::Skip;
    std::string observed;
    std::string expected;
    std::string why;
    std::string fix;
};

// Every check, in report order.
std::span<const CheckSpec> check_table();

// The check with this id, or nullptr.
const CheckSpec* find_check(std::string_view id);

Finding run_check(const CheckSpec& spec, const Facts& facts, const CheckOptions& options);

std::vector<Finding> run_checks(const Facts& facts, const CheckOptions& options = {});

// The report's overall status: the worst of pass, warn and fail; skips do not count.
Status overall_status(const std::vector<Finding>& findings);

// Shorthands for check functions.
inline Verdict pass(std::string observed) {
    return {Status::Pass, std::move(observed)};
}
inline Verdict warn(std::string observed) {
    return {Status::Warn, std::move(observed)};
}
inline Verdict fail(std::string observed) {
    return {Status::Fail, std::move(observed)};
}
inline Verdict skip(std::string reason) {
    return {Status::Skip, "unknown: " + std::move(reason)};
}

}  // namespace hale::probes::hardening
