// zlib (Debian: zlib1g-dev). inflateInit2 is a macro, so it is wrapped as a function Swift can call.
#include <zlib.h>

static inline int czlib_inflate_init2(z_streamp stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}
