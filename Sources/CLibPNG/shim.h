// libpng (Debian: libpng-dev). Only the simplified API (png_image_*) is used from Swift: it reports
// errors in png_image.message and never longjmps through Swift frames.
#include <png.h>

/// Bytes needed for a decoded image with the given format and row stride (PNG_IMAGE_SIZE is a macro).
static inline size_t clibpng_image_size(png_image image) {
    return PNG_IMAGE_SIZE(image);
}
