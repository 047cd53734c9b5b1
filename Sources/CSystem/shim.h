// Linux's atomic exchange of two paths (renameat2 with RENAME_EXCHANGE, glibc 2.28+), which
// Swift's Glibc module does not declare: a folder of outputs is swapped whole with its staged
// replacement, so a reader sees the old set or the new one.
#ifndef CHIIKI_CSYSTEM_SHIM_H
#define CHIIKI_CSYSTEM_SHIM_H

extern int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags);

static inline int chiiki_exchange_paths(const char *a, const char *b) {
    return renameat2(-100 /* AT_FDCWD */, a, -100, b, 1u << 1 /* RENAME_EXCHANGE */);
}

#endif
