/* JPEG 2000 face images to PNG, so a browser can show them: decoded with
 * OpenJPEG from memory, written with libpng to a kouan_buf. 8-bit grey or
 * RGB(A) output; components of other depths are scaled to 8 bits,
 * subsampled chroma is upsampled, sYCC is converted to RGB. */
#include "emrtd_internal.h"

#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <openjpeg.h>
#include <png.h>

#define MAX_PIXELS (8u << 20) /* a face image is well under 1 megapixel */

struct mem_stream {
    const uint8_t *p;
    size_t n, off;
};

static OPJ_SIZE_T s_read(void *buf, OPJ_SIZE_T n, void *user)
{
    struct mem_stream *m = user;
    if (m->off >= m->n)
        return (OPJ_SIZE_T)-1;
    size_t k = m->n - m->off < n ? m->n - m->off : n;
    memcpy(buf, m->p + m->off, k);
    m->off += k;
    return k;
}

static OPJ_OFF_T s_skip(OPJ_OFF_T n, void *user)
{
    struct mem_stream *m = user;
    if (n < 0 || (size_t)n > m->n - m->off)
        return -1;
    m->off += (size_t)n;
    return n;
}

static OPJ_BOOL s_seek(OPJ_OFF_T n, void *user)
{
    struct mem_stream *m = user;
    if (n < 0 || (size_t)n > m->n)
        return OPJ_FALSE;
    m->off = (size_t)n;
    return OPJ_TRUE;
}

static void quiet(const char *msg, void *user)
{
    (void)msg;
    (void)user;
}

static void png_write(png_structp png, png_bytep data, png_size_t n)
{
    kouan_buf *b = png_get_io_ptr(png);
    if (kouan_buf_append(b, data, n))
        png_error(png, "output too large");
}

static void png_flush(png_structp png)
{
    (void)png;
}

/* The libpng calls, alone in a function so that nothing the caller keeps
 * lives across the setjmp. Returns 0 on success. */
/* Component c's sample at full-resolution pixel (x, y), scaled to 0..255;
 * subsampled components (chroma) are read nearest-neighbour. */
static int sample(const opj_image_t *img, int c, uint32_t x, uint32_t y)
{
    const opj_image_comp_t *cp = &img->comps[c];
    uint32_t sx = x / (img->comps[0].dx ? cp->dx / img->comps[0].dx : 1);
    uint32_t sy = y / (img->comps[0].dy ? cp->dy / img->comps[0].dy : 1);
    if (sx >= cp->w)
        sx = cp->w - 1;
    if (sy >= cp->h)
        sy = cp->h - 1;
    long v = cp->data[(size_t)sy * cp->w + sx];
    if (cp->sgnd)
        v += 1L << (cp->prec - 1);
    long max = (1L << cp->prec) - 1;
    if (v < 0)
        v = 0;
    if (v > max)
        v = max;
    return (int)(v * 255 / max);
}

static png_byte clamp8(double v)
{
    return (png_byte)(v < 0 ? 0 : v > 255 ? 255 : v + 0.5);
}

/* The libpng calls, alone in a function so that nothing the caller keeps
 * lives across the setjmp. Returns 0 on success. */
static int png_body(png_structp png, png_infop info, const opj_image_t *img,
                    png_bytep row, int nc, uint32_t w, uint32_t h, kouan_buf *out)
{
    int ycc = nc >= 3 && img->color_space == OPJ_CLRSPC_SYCC;
    if (setjmp(png_jmpbuf(png)))
        return -1;
    png_set_write_fn(png, out, png_write, png_flush);
    png_set_IHDR(png, info, w, h, 8,
                 nc == 1 ? PNG_COLOR_TYPE_GRAY : nc == 3 ? PNG_COLOR_TYPE_RGB
                                                         : PNG_COLOR_TYPE_RGB_ALPHA,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (uint32_t y = 0; y < h; y++) {
        for (uint32_t x = 0; x < w; x++) {
            png_bytep px = row + (size_t)x * (size_t)nc;
            for (int c = 0; c < nc; c++)
                px[c] = (png_byte)sample(img, c, x, y);
            if (ycc) {
                /* ITU-R BT.601 full range. */
                double Y = px[0], cb = px[1] - 128.0, cr = px[2] - 128.0;
                px[0] = clamp8(Y + 1.402 * cr);
                px[1] = clamp8(Y - 0.344136 * cb - 0.714136 * cr);
                px[2] = clamp8(Y + 1.772 * cb);
            }
        }
        png_write_row(png, row);
    }
    png_write_end(png, NULL);
    return 0;
}

static kouan_err write_png(opj_image_t *img, kouan_buf *out)
{
    int nc = (int)img->numcomps;
    if (nc >= 3)
        nc = nc >= 4 ? 4 : 3;
    else
        nc = 1;
    uint32_t w = img->comps[0].w, h = img->comps[0].h;
    for (int c = 0; c < nc; c++) {
        const opj_image_comp_t *cp = &img->comps[c];
        if (!cp->data || cp->prec == 0 || cp->prec > 16 || cp->w == 0 || cp->h == 0 ||
            cp->dx == 0 || cp->dy == 0 || cp->dx < img->comps[0].dx ||
            cp->dy < img->comps[0].dy)
            return KOUAN_ERR_UNSUPPORTED;
    }
    if (w == 0 || h == 0 || (uint64_t)w * h > MAX_PIXELS)
        return KOUAN_ERR_TOO_LARGE;
    size_t start = out->len;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    png_bytep row = malloc((size_t)w * (size_t)nc);
    kouan_err rc = KOUAN_OK;
    if (!png || !info || !row)
        rc = KOUAN_ERR_NOMEM;
    else if (png_body(png, info, img, row, nc, w, h, out))
        rc = out->err ? out->err : KOUAN_ERR_INTERNAL;
    if (rc && out->len > start) {
        out->len = start;
        out->data[start] = '\0';
    }
    png_destroy_write_struct(png ? &png : NULL, info ? &info : NULL);
    free(row);
    return rc;
}

kouan_err kouan_emrtd_jp2_to_png(const uint8_t *p, size_t n, kouan_buf *out)
{
    static const uint8_t jp2[] = {0, 0, 0, 0x0C, 'j', 'P', ' ', ' '};
    OPJ_CODEC_FORMAT fmt;
    if (n >= sizeof jp2 && !memcmp(p, jp2, sizeof jp2))
        fmt = OPJ_CODEC_JP2;
    else if (n >= 4 && p[0] == 0xFF && p[1] == 0x4F)
        fmt = OPJ_CODEC_J2K;
    else
        return KOUAN_ERR_PARSE;
    struct mem_stream m = {p, n, 0};
    opj_stream_t *st = opj_stream_create(1 << 16, OPJ_TRUE);
    opj_codec_t *codec = opj_create_decompress(fmt);
    opj_image_t *img = NULL;
    opj_dparameters_t prm;
    kouan_err rc = KOUAN_ERR_PARSE;
    if (!st || !codec) {
        rc = KOUAN_ERR_NOMEM;
        goto out;
    }
    opj_stream_set_user_data(st, &m, NULL);
    opj_stream_set_user_data_length(st, n);
    opj_stream_set_read_function(st, s_read);
    opj_stream_set_skip_function(st, s_skip);
    opj_stream_set_seek_function(st, s_seek);
    opj_set_info_handler(codec, quiet, NULL);
    opj_set_warning_handler(codec, quiet, NULL);
    opj_set_error_handler(codec, quiet, NULL);
    opj_set_default_decoder_parameters(&prm);
    if (!opj_setup_decoder(codec, &prm) || !opj_read_header(st, codec, &img) || !img)
        goto out;
    if ((uint64_t)(img->x1 - img->x0) * (img->y1 - img->y0) > MAX_PIXELS) {
        rc = KOUAN_ERR_TOO_LARGE;
        goto out;
    }
    if (img->numcomps == 0 || img->numcomps > 4) {
        rc = KOUAN_ERR_UNSUPPORTED;
        goto out;
    }
    if (!opj_decode(codec, st, img) || !opj_end_decompress(codec, st))
        goto out;
    rc = write_png(img, out);
out:
    if (img)
        opj_image_destroy(img);
    if (codec)
        opj_destroy_codec(codec);
    if (st)
        opj_stream_destroy(st);
    return rc;
}
