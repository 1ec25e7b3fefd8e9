// Who the process runs as: uid, gid, groups, and its account in /etc/passwd and /etc/group.
#include <map>

#include "probes/hardening/check_functions.hpp"
#include "probes/hardening/read_file.hpp"

namespace hale::probes::hardening {
namespace {

// The effective uid, or the reason it is unknown.
Result<uint32_t> effective_uid(const Facts& facts) {
    if (!facts.status) {
        return Error{facts.status.error()};
    }
    if (!facts.status->uid) {
        return Error{"no Uid line in /proc/self/status"};
    }
    return (*facts.status->uid)[1];
}

// The passwd entry of the effective uid: nullptr when there is none (or no file).
Result<const PasswdEntry*> own_entry(const Facts& facts) {
    auto uid = effective_uid(facts);
    if (!uid) {
        return Error{uid.error()};
    }
    if (!facts.passwd) {
        return Error{facts.passwd.error()};
    }
    return facts.passwd->find_uid(*uid);
}

template <class Entry, class Key, class Name>
std::vector<std::string> duplicates(const std::vector<Entry>& entries,
                                    Key key,
                                    Name name,
                                    const std::string& label) {
    std::map<uint32_t, std::vector<std::string>> by_id;
    for (const auto& entry : entries) {
        by_id[key(entry)].push_back(name(entry));
    }
    std::vector<std::string> found;
    for (const auto& [id, names] : by_id) {
        if (names.size() > 1) {
            std::string joined;
            for (const auto& n : names) {
                joined += (joined.empty() ? "" : "/") + n;
            }
            found.push_back(label + " " + std::to_string(id) + " (" + joined + ")");
        }
    }
    return found;
}

}  // namespace

Verdict check_non_root_user(const Facts& facts, const CheckOptions& /*options*/) {
    auto uid = effective_uid(facts);
    if (!uid) {
        return skip(uid.error());
    }
    const auto& ids = *facts.status->uid;
    if (*uid == 0) {
        return fail("uid 0 (root)");
    }
    // A saved or real uid of 0 lets the process switch back with setuid(0).
    if (ids[0] == 0 || ids[2] == 0 || ids[3] == 0) {
        return fail("effective uid " + std::to_string(*uid) +
                    ", but the real, saved or filesystem uid is 0: root can be regained");
    }
    return pass("uid " + std::to_string(*uid));
}

Verdict check_high_uid(const Facts& facts, const CheckOptions& options) {
    auto uid = effective_uid(facts);
    std::string expected =
        "uid >= " + std::to_string(options.min_uid) + " and not 1000 (the first human user)";
    if (!uid) {
        Verdict verdict = skip(uid.error());
        verdict.expected = expected;
        return verdict;
    }
    Verdict verdict;
    if (*uid < options.min_uid || *uid == 1000) {
        verdict = warn("uid " + std::to_string(*uid));
    } else if (*uid == 65534) {
        verdict = pass("uid 65534 (nobody, shared with every other nobody process)");
    } else {
        verdict = pass("uid " + std::to_string(*uid));
    }
    verdict.expected = expected;
    return verdict;
}

Verdict check_non_root_group(const Facts& facts, const CheckOptions& /*options*/) {
    if (!facts.status) {
        return skip(facts.status.error());
    }
    if (!facts.status->gid || !facts.status->groups) {
        return skip("no Gid or Groups line in /proc/self/status");
    }
    auto gid = (*facts.status->gid)[1];
    const auto& groups = *facts.status->groups;
    std::string group_list;
    bool root_group = gid == 0;
    for (auto group : groups) {
        group_list += (group_list.empty() ? "" : ",") + std::to_string(group);
        root_group = root_group || group == 0;
    }
    std::string observed =
        "gid " + std::to_string(gid) + ", groups " + (group_list.empty() ? "none" : group_list);
    return root_group ? warn(observed) : pass(observed);
}

Verdict check_passwd_entry(const Facts& facts, const CheckOptions& /*options*/) {
    auto entry = own_entry(facts);
    if (!entry) {
        return skip(entry.error());
    }
    auto uid = std::to_string((*facts.status->uid)[1]);
    if (!facts.passwd->present) {
        return pass("no /etc/passwd: nothing in the image looks users up");
    }
    if (*entry == nullptr) {
        std::string observed = "uid " + uid + " has no line in /etc/passwd";
        if (facts.passwd->nis_lines > 0) {
            observed += " (" + std::to_string(facts.passwd->nis_lines) +
                        " NIS compat lines cannot be resolved without NIS)";
        }
        return warn(observed);
    }
    return pass("uid " + uid + " is '" + (*entry)->name + "', home " + (*entry)->home);
}

Verdict check_no_login_shell(const Facts& facts, const CheckOptions& /*options*/) {
    auto entry = own_entry(facts);
    if (!entry) {
        return skip(entry.error());
    }
    if (*entry == nullptr) {
        return pass("no passwd entry, so no login shell");
    }
    auto shell = effective_shell(**entry);
    std::string observed = "'" + (*entry)->name + "' has " + shell;
    if ((*entry)->shell.empty()) {
        observed += " (empty field)";
    }
    if (is_no_login_shell(shell)) {
        return pass(observed);
    }
    if (!path_exists(join_path(facts.roots.root, shell))) {
        observed += " (not in the image)";
    }
    return warn(observed);
}

Verdict check_unique_ids(const Facts& facts, const CheckOptions& /*options*/) {
    if (!facts.passwd) {
        return skip(facts.passwd.error());
    }
    if (!facts.group) {
        return skip(facts.group.error());
    }
    auto found = duplicates(
        facts.passwd->entries, [](const PasswdEntry& e) { return e.uid; },
        [](const PasswdEntry& e) { return e.name; }, "uid");
    auto groups = duplicates(
        facts.group->entries, [](const GroupEntry& e) { return e.gid; },
        [](const GroupEntry& e) { return e.name; }, "gid");
    found.insert(found.end(), groups.begin(), groups.end());
    if (!found.empty()) {
        return warn(join_list(found));
    }
    if (!facts.passwd->present && !facts.group->present) {
        return pass("no /etc/passwd or /etc/group");
    }
    return pass(std::to_string(facts.passwd->entries.size()) + " users, " +
                std::to_string(facts.group->entries.size()) + " groups, no id used twice");
}

Verdict check_no_empty_passwords(const Facts& facts, const CheckOptions& /*options*/) {
    if (!facts.passwd) {
        return skip(facts.passwd.error());
    }
    std::vector<std::string> empty;
    for (const auto& entry : facts.passwd->entries) {
        if (entry.empty_password) {
            empty.push_back(entry.name + " (passwd)");
        }
    }
    std::string note;
    if (facts.shadow) {
        for (const auto& name : facts.shadow->empty_password_names) {
            empty.push_back(name + " (shadow)");
        }
    } else {
        note = "; /etc/shadow not readable by this user";
    }
    if (!empty.empty()) {
        return warn(join_list(empty) + note);
    }
    if (!facts.passwd->present) {
        return pass("no /etc/passwd");
    }
    return pass("no empty password field" + note);
}

}  // namespace hale::probes::hardening
