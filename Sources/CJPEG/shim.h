// libjpeg-turbo (Debian: libjpeg62-turbo-dev). libjpeg reports errors by calling error_exit,
// which by default prints and calls exit(); a caller that wants control back must longjmp out of
// it, and a longjmp must never cross Swift frames. So the whole decode (setjmp, every libjpeg
// call, the longjmp) happens here in C, and Swift sees only cjpeg_decode's status and message.
#include <setjmp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>

/// What cjpeg_decode reports: the output's size and layout, or why decoding failed.
typedef struct {
    /// The decoded image's columns and rows.
    unsigned int width;
    unsigned int height;
    /// Samples per pixel in the output: 1 (grey) or 4 (CMYK).
    int components;
    /// Whether CMYK samples are stored inverted, as Adobe's applications write them.
    int inverted_cmyk;
    /// Set on failure when the data ran out (a truncated file).
    int truncated;
    /// libjpeg's message on failure.
    char message[JMSG_LENGTH_MAX];
} cjpeg_result;

/// Progressive files may hold this many scans; a hostile file with thousands of tiny scans would
/// otherwise make decoding take minutes.
#define CJPEG_MAX_SCANS 1000
/// Components a frame may have: grey 1, YCbCr or RGB 3, CMYK or YCCK 4.
#define CJPEG_MAX_COMPONENTS 4

typedef struct {
    struct jpeg_error_mgr manager;
    struct jpeg_progress_mgr progress;
    jmp_buf jump;
    cjpeg_result *result;
} cjpeg_state;

/// Every error, and every warning but one, ends the decode: the message is kept and control
/// jumps back to cjpeg_decode's setjmp.
static inline void cjpeg_fail(j_common_ptr cinfo) {
    cjpeg_state *state = (cjpeg_state *)cinfo->err;
    state->result->truncated = cinfo->err->msg_code == JWRN_JPEG_EOF;
    (*cinfo->err->format_message)(cinfo, state->result->message);
    longjmp(state->jump, 1);
}

/// Warnings (level -1) mean corrupt or missing data, which would decode as grey blocks; only
/// stray bytes between segments, common in camera files and harmless, are let through. Trace
/// messages (level >= 0) are ignored.
static inline void cjpeg_emit_message(j_common_ptr cinfo, int level) {
    if (level >= 0) return;
    if (cinfo->err->msg_code == JWRN_EXTRANEOUS_DATA) {
        cinfo->err->num_warnings++;
        return;
    }
    cjpeg_fail(cinfo);
}

static inline void cjpeg_output_message(j_common_ptr cinfo) { (void)cinfo; }

static inline void cjpeg_limit_scans(j_common_ptr cinfo) {
    j_decompress_ptr decompress = (j_decompress_ptr)cinfo;
    if (decompress->input_scan_number > CJPEG_MAX_SCANS) {
        cjpeg_state *state = (cjpeg_state *)cinfo->err;
        snprintf(state->result->message, JMSG_LENGTH_MAX, "more than %d scans", CJPEG_MAX_SCANS);
        longjmp(state->jump, 1);
    }
}

/// Reads a JPEG from memory. With `output` NULL only the header is read: `result` then gives
/// the size and layout the decode will have, so that the caller can check it and allocate.
/// With `output`, decodes into it (`output_size` bytes, rows top first, no padding). Grey, YCbCr
/// and RGB files come out as grey (libjpeg takes luma), CMYK and YCCK as CMYK.
/// Returns 0 on success; otherwise 1, with `result->message` set.
static inline int cjpeg_decode(const unsigned char *data, unsigned long size, unsigned char *output,
                               unsigned long output_size, cjpeg_result *result) {
    struct jpeg_decompress_struct cinfo;
    cjpeg_state state;
    memset(result, 0, sizeof *result);
    memset(&cinfo, 0, sizeof cinfo);
    state.result = result;
    cinfo.err = jpeg_std_error(&state.manager);
    state.manager.error_exit = cjpeg_fail;
    state.manager.emit_message = cjpeg_emit_message;
    state.manager.output_message = cjpeg_output_message;
    state.progress.progress_monitor = cjpeg_limit_scans;
    if (setjmp(state.jump)) {
        jpeg_destroy_decompress(&cinfo);
        return 1;
    }
    jpeg_create_decompress(&cinfo);
    cinfo.progress = &state.progress;
    jpeg_mem_src(&cinfo, data, size);
    jpeg_read_header(&cinfo, TRUE);
    if (cinfo.num_components > CJPEG_MAX_COMPONENTS) {
        snprintf(result->message, JMSG_LENGTH_MAX, "%d colour components (at most %d are read)",
                 cinfo.num_components, CJPEG_MAX_COMPONENTS);
        jpeg_destroy_decompress(&cinfo);
        return 1;
    }
    int cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
    cinfo.out_color_space = cmyk ? JCS_CMYK : JCS_GRAYSCALE;
    jpeg_calc_output_dimensions(&cinfo);
    result->width = cinfo.output_width;
    result->height = cinfo.output_height;
    result->components = cinfo.output_components;
    result->inverted_cmyk = cmyk && cinfo.saw_Adobe_marker;
    if (output == NULL) {
        jpeg_destroy_decompress(&cinfo);
        return 0;
    }
    size_t row_size = (size_t)cinfo.output_width * (size_t)cinfo.output_components;
    if (row_size * cinfo.output_height != output_size) {
        snprintf(result->message, JMSG_LENGTH_MAX, "the image's size changed between two reads of its header");
        jpeg_destroy_decompress(&cinfo);
        return 1;
    }
    jpeg_start_decompress(&cinfo);
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = output + row_size * cinfo.output_scanline;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    return 0;
}
