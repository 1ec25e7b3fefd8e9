// /etc/passwd, /etc/group and /etc/shadow parsed directly, never through NSS: a static glibc
// binary has no NSS modules, and scratch images have no passwd file at all. The parser follows
// glibc's files backend and musl where they agree, and is stricter where either would mislead:
//   "app:x:10001:10001::/home/app:/usr/sbin/nologin"  -> entry (7 fields)
//   "app:x:10001:10001::/home/app"                    -> entry, shell "" (means /bin/sh)
//   "# comment", "", "   "                            -> skipped
//   "+", "+::::::", "-user", "+@netgroup"             -> NIS compat line, counted, never a match
//   "app:x:ten:1::/:/bin/sh", "garbage"               -> bad line, counted, skipped
//   last line without "\n"                            -> parsed whole (musl drops a character)
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "probes/hardening/roots.hpp"
#include "probes/result.hpp"

namespace hale::probes::hardening {

struct PasswdEntry {
    std::string name;
    bool empty_password = false;  // field 2 empty: login with no password at all
    uint32_t uid = 0;
    uint32_t gid = 0;
    std::string home;
    std::string shell;  // as written; empty means /bin/sh
};

struct PasswdFile {
    bool present = false;  // false: no file (scratch, distroless), not the same as no entry
    std::vector<PasswdEntry> entries;
    size_t nis_lines = 0;
    size_t bad_lines = 0;

    // The first entry with this UID, as getpwuid() and moby's parser pick it.
    const PasswdEntry* find_uid(uint32_t uid) const;
};

struct GroupEntry {
    std::string name;
    uint32_t gid = 0;
};

struct GroupFile {
    bool present = false;
    std::vector<GroupEntry> entries;
    size_t nis_lines = 0;
    size_t bad_lines = 0;
};

// Only whether each account's password field is empty is kept; hashes are never stored.
struct ShadowFile {
    bool present = false;
    std::vector<std::string> empty_password_names;
};

PasswdFile parse_passwd(std::string_view text);
GroupFile parse_group(std::string_view text);
ShadowFile parse_shadow(std::string_view text);

// ETC/passwd, ETC/group, ETC/shadow. A missing file gives present = false; an unreadable one
// (shadow as a non-root user) an error.
Result<PasswdFile> read_passwd(const Roots& roots);
Result<GroupFile> read_group(const Roots& roots);
Result<ShadowFile> read_shadow(const Roots& roots);

// The shell a login would run: the field, or /bin/sh when it is empty.
std::string effective_shell(const PasswdEntry& entry);

// nologin(8) and false(1) under any directory (/usr/sbin/nologin, /sbin/nologin,
// /usr/bin/nologin, /bin/false): the account cannot start an interactive session.
bool is_no_login_shell(std::string_view shell);

}  // namespace hale::probes::hardening
