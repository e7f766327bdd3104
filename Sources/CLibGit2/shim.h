// The libgit2 C API (Debian's libgit2-dev, found through pkg-config), for MLRunGit.
#pragma once
#include <git2.h>
