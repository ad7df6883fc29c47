// A malloc counter to preload into a process (LD_PRELOAD): prints how many times malloc, calloc
// and realloc were called when the process exits. Used by scripts/count-allocations.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static atomic_long calls;
static void *(*next_malloc)(size_t);
static void *(*next_realloc)(void *, size_t);

void *malloc(size_t size) {
    if (!next_malloc) next_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
    atomic_fetch_add(&calls, 1);
    return next_malloc(size);
}

void *realloc(void *pointer, size_t size) {
    if (!next_realloc) next_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
    atomic_fetch_add(&calls, 1);
    return next_realloc(pointer, size);
}

__attribute__((destructor)) static void report(void) {
    char line[64];
    int length = snprintf(line, sizeof line, "allocations: %ld\n", (long)atomic_load(&calls));
    if (write(STDERR_FILENO, line, (size_t)length) < 0) { /* nothing to do */ }
}
