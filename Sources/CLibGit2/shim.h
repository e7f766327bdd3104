// The libgit2 C API (Debian's libgit2-dev, found through pkg-config), for MLRunGit.
#pragma once
#include <git2.h>
// git_repository_set_index: lets worker handles share one loaded index instead of reloading it.
#include <git2/sys/repository.h>

// git_libgit2_opts is variadic, which Swift cannot call: one fixed-argument wrapper per use.

/// Turns off re-hashing every object read from the object database (on by default).
static inline int mlrun_git_disable_strict_hash_verification(void) {
    return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
}
